//! Attribute agreement of a pair of annotators, on the spans they matched exactly (same label,
//! same pieces): per attribute, how many such span pairs were compared, the observed agreement
//! p_o and Cohen's κ = (p_o − p_e) / (1 − p_e), with p_e = Σ_v (a_v / N)(b_v / N).
//!
//! Which attributes: those the span's label defines in either annotator's schema (attributes
//! no schema defines — imported ones, `agreed_by`, a suggestion's `agent` — are not measured).
//! The value compared is what each annotator's panel shows: the span's value, else the
//! attribute's default in that annotator's schema, else "not set" (a value of its own, so one
//! annotator setting `category` where the other left it is a disagreement). As for token κ,
//! κ = 1.0 when there is no variation (every pair one and the same value, or no pair at all).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Document, Span};

/// The agreement on one attribute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AttributeAgreement {
    /// Span pairs compared (exact matches whose label defines the attribute).
    pub spans: u64,
    /// p_o: the share of them with the same value (1.0 when there are none).
    pub observed: f64,
    /// Cohen's κ.
    pub kappa: f64,
}

/// Counts of one attribute, added to span pair by span pair.
#[derive(Debug, Clone, Default, PartialEq)]
struct Counts {
    spans: u64,
    agreed: u64,
    by_a: BTreeMap<String, u64>,
    by_b: BTreeMap<String, u64>,
}

/// The attribute counts of one pair of annotators.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttributeCounts {
    by_name: BTreeMap<String, Counts>,
}

/// The value shown for `name` on `span` in `doc`: set, else the default, else `None`.
fn shown<'d>(doc: &'d Document, span: &'d Span, name: &str) -> Option<&'d str> {
    span.attrs.get(name).map(String::as_str).or_else(|| {
        let def = doc.schema.get(span.label.as_str())?.attribute(name)?;
        def.default.as_deref()
    })
}

impl AttributeCounts {
    /// Adds one span pair matched exactly: `sa` of document `a`, `sb` of document `b`.
    pub fn add(&mut self, a: &Document, sa: &Span, b: &Document, sb: &Span) {
        let defined = |doc: &Document| {
            doc.schema
                .get(sa.label.as_str())
                .map(|d| {
                    d.attributes
                        .iter()
                        .map(|x| x.name.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let mut names = defined(a);
        for n in defined(b) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        for name in names {
            let va = shown(a, sa, &name);
            let vb = shown(b, sb, &name);
            let key = |v: Option<&str>| v.map_or_else(|| "\u{0}not set".to_string(), String::from);
            let c = self.by_name.entry(name).or_default();
            c.spans += 1;
            c.agreed += u64::from(va == vb);
            *c.by_a.entry(key(va)).or_default() += 1;
            *c.by_b.entry(key(vb)).or_default() += 1;
        }
    }

    /// The figures of each attribute, by name.
    pub fn finish(&self) -> BTreeMap<String, AttributeAgreement> {
        self.by_name
            .iter()
            .map(|(name, c)| {
                let n = u128::from(c.spans);
                let chance: u128 = c
                    .by_a
                    .iter()
                    .map(|(v, &x)| u128::from(x) * u128::from(c.by_b.get(v).copied().unwrap_or(0)))
                    .sum();
                let observed = if n == 0 {
                    1.0
                } else {
                    c.agreed as f64 / n as f64
                };
                // In integers, as token κ: (agreed·N − Σ a_v b_v) / (N² − Σ a_v b_v).
                let denominator = n * n - chance;
                let kappa = if denominator == 0 {
                    1.0
                } else {
                    ((u128::from(c.agreed) * n) as f64 - chance as f64) / denominator as f64
                };
                let figures = AttributeAgreement {
                    spans: c.spans,
                    observed,
                    kappa,
                };
                (name.clone(), figures)
            })
            .collect()
    }
}
