//! Token labels and the chance-corrected agreement on them: Cohen's κ for a pair of annotators,
//! Krippendorff's α (nominal) for all of them.
//!
//! **Tokens** are those of the CoNLL export, so agreement is measured on the units a tagger is
//! trained on: the tokens carried from an import ([`crate::formats::tokens::Carried`]: a CoNLL
//! file's, Prodigy's) while they fit the text, of the first annotator (in name order) whose
//! document has usable ones, else the CoNLL tokenisation ([`crate::formats::conll::tokenize`]).
//! Carried tokens are not split here: a span that cuts one labels it by the rule below.
//!
//! **A token's label** for one annotator is the label of the innermost of that annotator's
//! counted spans (not rejected) that share at least one character with the token, or `O`
//! (`None` here) when no span touches it. Innermost: the span covering the fewest characters;
//! on a tie the one starting last; then the label first in alphabetical order (so one
//! annotator's same-range spans with two labels always give the same answer).
//! In `[[Lavrov]{actor} said]{claim}` the token `Lavrov` is `actor`, `said` is `claim`.
//!
//! **Undefined cases are defined**: when there is no variation at all (every value the same
//! label, so the expected agreement is 1 and the formulas divide 0 by 0), κ and α are 1.0: the
//! annotators agree on everything there is. α is `None` only when no token has two values to
//! compare (fewer than two annotators on every article).

use std::collections::BTreeMap;

use crate::model::{CharRange, Document, Label, Text};
use crate::review::{counted_spans, covered_chars};

/// A token's label: `None` is `O`, outside every span.
pub type TokenLabel<'a> = Option<&'a Label>;

/// The tokens of `text`, by the CoNLL tokenisation ([`crate::formats::conll::tokenize`]).
pub fn tokens(text: &Text) -> Vec<CharRange> {
    crate::formats::conll::tokenize(text.as_str())
        .into_iter()
        .filter_map(|(start, end)| CharRange::new(start, end))
        .collect()
}

/// The tokens an article's agreement is measured on: those carried from an import by the
/// first of `docs` that has usable ones (all of them must hold `text`), else [`tokens`].
pub fn article_tokens<'d>(
    text: &Text,
    docs: impl IntoIterator<Item = &'d Document>,
) -> Vec<CharRange> {
    docs.into_iter()
        .filter(|d| d.text().sha256_hex() == text.sha256_hex())
        .find_map(|d| crate::formats::tokens::Carried::of(d).ok().flatten())
        .map_or_else(|| tokens(text), |c| c.ranges())
}

/// Each token's label in `doc` (see the module docs for the innermost rule).
pub fn token_labels<'d>(doc: &'d Document, tokens: &[CharRange]) -> Vec<TokenLabel<'d>> {
    // (covered chars, reversed start, label) of the best span so far: smaller is more inner.
    let mut best: Vec<Option<(usize, std::cmp::Reverse<usize>, &Label)>> = vec![None; tokens.len()];
    for span in counted_spans(doc) {
        let pieces = span.pieces();
        let key = (
            covered_chars(&pieces),
            std::cmp::Reverse(span.range.start().0),
            &span.label,
        );
        for piece in pieces {
            let first = tokens.partition_point(|t| t.end() <= piece.start());
            for (slot, token) in best[first..].iter_mut().zip(&tokens[first..]) {
                if token.start() >= piece.end() {
                    break;
                }
                if token.overlaps(&piece) && slot.is_none_or(|b| key < b) {
                    *slot = Some(key);
                }
            }
        }
    }
    best.into_iter().map(|b| b.map(|(_, _, l)| l)).collect()
}

/// Counts for Cohen's κ between annotator `a` and `b`, added up token by token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KappaCounts<'a> {
    /// Tokens compared.
    pub tokens: u64,
    /// Tokens both gave the same label (`O` included).
    pub agreed: u64,
    /// How often `a` used each label (`None` = `O`).
    pub by_a: BTreeMap<TokenLabel<'a>, u64>,
    /// How often `b` used each label.
    pub by_b: BTreeMap<TokenLabel<'a>, u64>,
}

impl<'a> KappaCounts<'a> {
    /// Adds the labels of one document's tokens (`a` and `b` of the same length).
    pub fn add(&mut self, a: &[TokenLabel<'a>], b: &[TokenLabel<'a>]) {
        for (&x, &y) in a.iter().zip(b) {
            self.tokens += 1;
            if x == y {
                self.agreed += 1;
            }
            *self.by_a.entry(x).or_default() += 1;
            *self.by_b.entry(y).or_default() += 1;
        }
    }

    /// κ = (p_o − p_e) / (1 − p_e), with p_o = agreed / N and p_e = Σ_k (a_k / N)(b_k / N).
    /// Computed as (agreed·N − Σ a_k b_k) / (N² − Σ a_k b_k) in integers, so "no variation"
    /// (N² = Σ a_k b_k, every token one label from both) is recognised exactly: then κ = 1.0,
    /// as it is when there are no tokens.
    pub fn kappa(&self) -> f64 {
        let n = u128::from(self.tokens);
        let chance: u128 = self
            .by_a
            .iter()
            .map(|(label, &a)| {
                u128::from(a) * u128::from(self.by_b.get(label).copied().unwrap_or(0))
            })
            .sum();
        let denominator = n * n - chance;
        if denominator == 0 {
            return 1.0;
        }
        let numerator = u128::from(self.agreed) * n;
        // numerator − chance may be negative (agreement below chance).
        (numerator as f64 - chance as f64) / denominator as f64
    }
}

/// Counts for Krippendorff's α (nominal), added up unit by unit; a unit is one token of one
/// article, its values the labels the annotators of that article gave it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlphaCounts<'a> {
    /// n_c: how many pairable values are label c (`None` = `O`).
    pub values: BTreeMap<TokenLabel<'a>, u64>,
    /// Σ_u (m_u² − Σ_c n_uc²) / (m_u − 1): the observed disagreements, Σ_{c≠k} o_ck.
    pub disagreement: f64,
}

impl<'a> AlphaCounts<'a> {
    /// Adds one unit: the values of the annotators who annotated it (missing annotators are
    /// simply absent). A unit with fewer than two values cannot be paired and is skipped.
    pub fn add_unit(&mut self, values: &[TokenLabel<'a>]) {
        let m = values.len();
        if m < 2 {
            return;
        }
        // n_uc, by first appearance (a unit has a handful of values).
        let mut counts: Vec<(TokenLabel<'a>, u64)> = Vec::with_capacity(m);
        for &v in values {
            match counts.iter_mut().find(|(label, _)| *label == v) {
                Some((_, n)) => *n += 1,
                None => counts.push((v, 1)),
            }
        }
        let m = m as u64;
        let same: u64 = counts.iter().map(|(_, n)| n * n).sum();
        if same != m * m {
            self.disagreement += (m * m - same) as f64 / (m - 1) as f64;
        }
        for (label, n) in counts {
            *self.values.entry(label).or_default() += n;
        }
    }

    /// α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k, where n = Σ_c n_c and
    /// Σ_{c≠k} n_c n_k = n² − Σ_c n_c² (an integer, so "no variation" is recognised exactly:
    /// then α = 1.0). `None` when no unit had two values.
    pub fn alpha(&self) -> Option<f64> {
        let n: u128 = self.values.values().map(|&v| u128::from(v)).sum();
        if n == 0 {
            return None;
        }
        let same: u128 = self
            .values
            .values()
            .map(|&v| u128::from(v) * u128::from(v))
            .sum();
        let expected = n * n - same;
        if expected == 0 {
            return Some(1.0);
        }
        Some(1.0 - (n - 1) as f64 * self.disagreement / expected as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::test_docs::{doc, reject};

    fn labels(d: &Document) -> Vec<Option<&str>> {
        let t = tokens(d.text());
        token_labels(d, &t)
            .into_iter()
            .map(|l| l.map(Label::as_str))
            .collect()
    }

    #[test]
    fn the_innermost_span_labels_a_token() {
        // Tokens: Lavrov | said | on | Monday.
        let d = doc("rita", "[[Lavrov]{actor} said on [Monday]{date}]{claim}");
        assert_eq!(
            labels(&d),
            [Some("actor"), Some("claim"), Some("claim"), Some("date")]
        );
        // A span touching part of a token labels it; equal lengths: the later start wins.
        let d = doc("rita", "La[vrov sa]{claim}[id on]{actor} Monday");
        // claim = "vrov sa" (7 chars), actor = "id on" (5 chars): "said" is actor (shorter).
        assert_eq!(
            labels(&d),
            [Some("claim"), Some("actor"), Some("actor"), None]
        );
        let d = doc("rita", "[Lavrov sa]{claim}[id on xyz]{actor} Monday");
        // Both 9 chars: "said" takes actor, which starts later.
        assert_eq!(
            labels(&d),
            [
                Some("claim"),
                Some("actor"),
                Some("actor"),
                Some("actor"),
                None
            ]
        );
    }

    #[test]
    fn tokens_carried_from_an_import_are_the_units() {
        let opts = crate::formats::ImportOptions::default();
        let read = crate::formats::conll::import_str("AL-AIN\tB-LOC\nwon\tO\n", "a", "a", &opts);
        let imported = &read.documents[0].doc;
        // Someone else's work on the same text, with no carried tokens.
        let other = doc("rita", "[AL]{actor}-AIN won");
        assert_eq!(other.text().as_str(), imported.text().as_str());
        let t = article_tokens(other.text(), [&other, imported]);
        assert_eq!(
            t.iter().map(CharRange::as_range).collect::<Vec<_>>(),
            [0..6, 7..10]
        );
        assert_eq!(
            token_labels(&other, &t)
                .into_iter()
                .map(|l| l.map(Label::as_str))
                .collect::<Vec<_>>(),
            [Some("actor"), None]
        );
        // Without a carried token list: the CoNLL tokenisation.
        assert_eq!(article_tokens(other.text(), [&other]).len(), 4);
    }

    #[test]
    fn tokens_are_the_conll_tokens() {
        // NATO | - | led | talks | . (the CoNLL export's tokenisation).
        let d = doc("rita", "[NATO]{actor}-led [talks.]{action}");
        let t = tokens(d.text());
        assert_eq!(
            t.iter().map(CharRange::as_range).collect::<Vec<_>>(),
            [0..4, 4..5, 5..8, 9..14, 14..15]
        );
        assert_eq!(
            labels(&d),
            [Some("actor"), None, None, Some("action"), Some("action")]
        );
    }

    #[test]
    fn same_range_two_labels_gives_the_first_label_alphabetically() {
        let mut d = doc("rita", "[Lavrov]{claim} said");
        let extra = crate::model::marked::marked("[Lavrov]{actor} said").1;
        let mut span = extra[0].clone();
        span.id = crate::model::SpanId::numbered(9);
        d.apply(
            &crate::model::Edit::add(span),
            "rita",
            crate::model::Timestamp::from_unix(0),
        )
        .unwrap();
        assert_eq!(labels(&d), [Some("actor"), None]);
    }

    #[test]
    fn rejected_spans_label_nothing() {
        let mut d = doc("rita", "[Lavrov]{actor} said");
        reject(&mut d, "s1");
        assert_eq!(labels(&d), [None, None]);
    }

    fn l(name: &str) -> Label {
        Label::new(name).unwrap()
    }

    #[test]
    fn kappa_by_hand() {
        // 10 tokens. a: A A A A A O O O O O   b: A A A O O O O O O B
        // agreed: tokens 1-3 (A) and 6-9 (O) = 7 → p_o = 0.7.
        // a: A 5, O 5.  b: A 3, O 6, B 1.  p_e = (5·3 + 5·6 + 0·1) / 100 = 0.45.
        // κ = (0.7 − 0.45) / (1 − 0.45) = 0.25 / 0.55 = 5/11.
        let (x, y) = (l("A"), l("B"));
        let a = [
            Some(&x),
            Some(&x),
            Some(&x),
            Some(&x),
            Some(&x),
            None,
            None,
            None,
            None,
            None,
        ];
        let b = [
            Some(&x),
            Some(&x),
            Some(&x),
            None,
            None,
            None,
            None,
            None,
            None,
            Some(&y),
        ];
        let mut k = KappaCounts::default();
        k.add(&a, &b);
        assert!((k.kappa() - 5.0 / 11.0).abs() < 1e-12, "{}", k.kappa());
        // Swapping the annotators does not change κ.
        let mut swapped = KappaCounts::default();
        swapped.add(&b, &a);
        assert_eq!(swapped.kappa(), k.kappa());
    }

    #[test]
    fn kappa_edge_cases() {
        let x = l("A");
        // No variation: all O from both → 1.0 (defined).
        let mut k = KappaCounts::default();
        k.add(&[None, None, None], &[None, None, None]);
        assert_eq!(k.kappa(), 1.0);
        // No tokens → 1.0.
        assert_eq!(KappaCounts::default().kappa(), 1.0);
        // One annotator empty: a all O, b labels 1 of 4. p_o = 3/4, p_e = (4·3)/16 = 3/4 → κ = 0.
        let mut k = KappaCounts::default();
        k.add(&[None, None, None, None], &[Some(&x), None, None, None]);
        assert_eq!(k.kappa(), 0.0);
        // Perfect agreement with variation → 1.0.
        let mut k = KappaCounts::default();
        k.add(&[Some(&x), None], &[Some(&x), None]);
        assert_eq!(k.kappa(), 1.0);
        // Complete disagreement: a = A O, b = O A. p_o = 0, p_e = (1·1 + 1·1)/4 = 1/2 → κ = −1.
        let mut k = KappaCounts::default();
        k.add(&[Some(&x), None], &[None, Some(&x)]);
        assert_eq!(k.kappa(), -1.0);
    }

    #[test]
    fn alpha_by_hand_with_a_missing_annotator() {
        // Three annotators, two articles. Article 1 (3 tokens) by r, o, s; article 2 (2 tokens)
        // by r and o only (s did not annotate it: missing values).
        //   unit  values        m  Σn_uc²  (m² − Σn_uc²)/(m − 1)
        //   1     A A A         3  9       0
        //   2     A A O         3  5       (9 − 5)/2 = 2
        //   3     O O O         3  9       0
        //   4     A O           2  2       (4 − 2)/1 = 2
        //   5     O O           2  4       0
        // Σ_{c≠k} o_ck = 4.  n_A = 3 + 2 + 1 = 6, n_O = 1 + 3 + 1 + 2 = 7, n = 13.
        // Σ_{c≠k} n_c n_k = 13² − (36 + 49) = 169 − 85 = 84.
        // α = 1 − (n − 1) · 4 / 84 = 1 − 12 · 4 / 84 = 1 − 48/84 = 3/7.
        let x = l("A");
        let mut a = AlphaCounts::default();
        a.add_unit(&[Some(&x), Some(&x), Some(&x)]);
        a.add_unit(&[Some(&x), Some(&x), None]);
        a.add_unit(&[None, None, None]);
        a.add_unit(&[Some(&x), None]);
        a.add_unit(&[None, None]);
        let alpha = a.alpha().unwrap();
        assert!((alpha - 3.0 / 7.0).abs() < 1e-12, "{alpha}");
    }

    #[test]
    fn alpha_for_two_annotators_matches_the_textbook_formula() {
        // Two annotators, 4 units: (A,A) (A,O) (O,O) (O,O).
        // o_AO = o_OA = 1 (unit 2). n_A = 3, n_O = 5, n = 8.
        // α = 1 − (8 − 1) · 2 / (64 − 9 − 25) = 1 − 14/30 = 8/15.
        let x = l("A");
        let mut a = AlphaCounts::default();
        a.add_unit(&[Some(&x), Some(&x)]);
        a.add_unit(&[Some(&x), None]);
        a.add_unit(&[None, None]);
        a.add_unit(&[None, None]);
        assert!((a.alpha().unwrap() - 8.0 / 15.0).abs() < 1e-12);
    }

    #[test]
    fn alpha_edge_cases() {
        let x = l("A");
        // Nothing pairable: a unit with one value is skipped → None.
        let mut a = AlphaCounts::default();
        a.add_unit(&[Some(&x)]);
        assert_eq!(a.alpha(), None);
        // No variation (every value O) → 1.0.
        let mut a = AlphaCounts::default();
        a.add_unit(&[None, None]);
        a.add_unit(&[None, None, None]);
        assert_eq!(a.alpha(), Some(1.0));
        // Perfect agreement with variation → 1.0.
        let mut a = AlphaCounts::default();
        a.add_unit(&[Some(&x), Some(&x)]);
        a.add_unit(&[None, None]);
        assert_eq!(a.alpha(), Some(1.0));
    }
}
