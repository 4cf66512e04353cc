//! The Markdown of annotation guidelines, parsed into blocks of styled runs: headings (`#` to
//! `######`), paragraphs, bullet and numbered list items (nested by indentation), block quotes,
//! fenced code blocks, rules; inside them `**strong**`, `*emphasis*` (or `_…_`), `` `code` ``,
//! links `[text](url)` and `<https://…>`. Nothing is fetched: a link is text and its address.
//! HTML and tables are shown as the text they are. The workbench lays the runs out (the parser
//! knows nothing of egui).

/// A stretch of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Run {
    pub text: String,
    pub strong: bool,
    pub emphasis: bool,
    pub code: bool,
    /// The address, when the run is a link's text.
    pub link: Option<String>,
}

/// One block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Level 1–6.
    Heading(u8, Vec<Run>),
    Paragraph(Vec<Run>),
    /// A list item: its marker (`•`, or `3.`), its depth (0 at the margin), its text.
    Item {
        marker: String,
        depth: usize,
        runs: Vec<Run>,
    },
    Quote(Vec<Run>),
    /// The lines of a fenced code block, as written.
    Code(String),
    Rule,
}

/// The blocks of `text`.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines = text.lines().peekable();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        if let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            flush(&mut paragraph, &mut blocks);
            let mut code = Vec::new();
            for next in lines.by_ref() {
                if next.trim().starts_with(fence) {
                    break;
                }
                code.push(next);
            }
            blocks.push(Block::Code(code.join("\n")));
            continue;
        }
        if let Some(level) = heading_level(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let title = trimmed[level as usize..]
                .trim()
                .trim_end_matches('#')
                .trim();
            blocks.push(Block::Heading(level, inline(title)));
            continue;
        }
        if is_rule(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Rule);
            continue;
        }
        if let Some(quoted) = trimmed.strip_prefix('>') {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Quote(inline(quoted.trim())));
            continue;
        }
        if let Some((marker, rest)) = list_item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let indent = line.len() - line.trim_start().len();
            blocks.push(Block::Item {
                marker,
                depth: indent / 2,
                runs: inline(rest),
            });
            continue;
        }
        paragraph.push(trimmed);
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn heading_level(line: &str) -> Option<u8> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then_some(hashes as u8)
}

fn is_rule(line: &str) -> bool {
    let chars: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    chars.len() >= 3 && ['-', '*', '_'].iter().any(|m| chars.iter().all(|c| c == m))
}

/// `- x`, `* x`, `+ x` → (`•`, `x`); `3. x` or `3) x` → (`3.`, `x`).
fn list_item(line: &str) -> Option<(String, &str)> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some(("•".into(), rest.trim()));
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &line[digits..];
    let rest = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))?;
    Some((format!("{}.", &line[..digits]), rest.trim()))
}

/// The styled runs of one block's text.
pub fn inline(text: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut style = Run::default();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let push = |runs: &mut Vec<Run>, current: &mut String, style: &Run| {
        if !current.is_empty() {
            runs.push(Run {
                text: std::mem::take(current),
                ..style.clone()
            });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().collect();
        if c == '\\' && i + 1 < chars.len() {
            current.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == '`'
            && let Some(end) = chars[i + 1..].iter().position(|&d| d == '`')
        {
            push(&mut runs, &mut current, &style);
            runs.push(Run {
                text: chars[i + 1..i + 1 + end].iter().collect(),
                code: true,
                ..style.clone()
            });
            i += end + 2;
            continue;
        }
        if (rest.starts_with("**") || rest.starts_with("__"))
            && (style.strong || closes(&chars[i + 2..], &chars[i..i + 2]))
        {
            push(&mut runs, &mut current, &style);
            style.strong = !style.strong;
            i += 2;
            continue;
        }
        if (c == '*' || c == '_')
            && (style.emphasis || closes(&chars[i + 1..], &chars[i..i + 1]))
            && !(c == '_' && i > 0 && chars[i - 1].is_alphanumeric())
        {
            push(&mut runs, &mut current, &style);
            style.emphasis = !style.emphasis;
            i += 1;
            continue;
        }
        if c == '['
            && let Some((label, url, used)) = link(&chars[i..])
        {
            push(&mut runs, &mut current, &style);
            runs.push(Run {
                text: label,
                link: Some(url),
                ..style.clone()
            });
            i += used;
            continue;
        }
        if c == '<'
            && let Some(end) = chars[i + 1..].iter().position(|&d| d == '>')
        {
            let inner: String = chars[i + 1..i + 1 + end].iter().collect();
            if inner.starts_with("http://") || inner.starts_with("https://") {
                push(&mut runs, &mut current, &style);
                runs.push(Run {
                    text: inner.clone(),
                    link: Some(inner),
                    ..style.clone()
                });
                i += end + 2;
                continue;
            }
        }
        current.push(c);
        i += 1;
    }
    push(&mut runs, &mut current, &style);
    runs
}

/// Whether `marker` occurs again in `rest` (so an opening marker has its closing one).
fn closes(rest: &[char], marker: &[char]) -> bool {
    rest.windows(marker.len()).any(|w| w == marker)
}

/// `[text](url)` at the start of `chars`: (text, url, characters used).
fn link(chars: &[char]) -> Option<(String, String, usize)> {
    let close = chars.iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close + 2..].iter().position(|&c| c == ')')?;
    let text: String = chars[1..close].iter().collect();
    let url: String = chars[close + 2..close + 2 + end].iter().collect();
    Some((text, url.trim().to_string(), close + 3 + end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Run {
        Run {
            text: text.into(),
            ..Run::default()
        }
    }

    #[test]
    fn blocks() {
        let blocks = parse(
            "# Claims\n\nMark who said\nwhat.\n\n- one\n  - nested\n2. second\n\n> quoted\n\n```\nlet x = 1;\n```\n---\n## End ##",
        );
        assert_eq!(
            blocks,
            [
                Block::Heading(1, vec![plain("Claims")]),
                Block::Paragraph(vec![plain("Mark who said what.")]),
                Block::Item {
                    marker: "•".into(),
                    depth: 0,
                    runs: vec![plain("one")]
                },
                Block::Item {
                    marker: "•".into(),
                    depth: 1,
                    runs: vec![plain("nested")]
                },
                Block::Item {
                    marker: "2.".into(),
                    depth: 0,
                    runs: vec![plain("second")]
                },
                Block::Quote(vec![plain("quoted")]),
                Block::Code("let x = 1;".into()),
                Block::Rule,
                Block::Heading(2, vec![plain("End")]),
            ]
        );
    }

    #[test]
    fn inline_styles_and_links() {
        let runs = inline("a **b** *c* `d*e` [f](https://x.org/g) <https://y.org> snake_case 2*3");
        let summary: Vec<String> = runs
            .iter()
            .map(|r| {
                let mut s = r.text.clone();
                if r.strong {
                    s = format!("B({s})");
                }
                if r.emphasis {
                    s = format!("I({s})");
                }
                if r.code {
                    s = format!("C({s})");
                }
                if let Some(url) = &r.link {
                    s = format!("L({s}→{url})");
                }
                s
            })
            .collect();
        assert_eq!(
            summary,
            [
                "a ",
                "B(b)",
                " ",
                "I(c)",
                " ",
                "C(d*e)",
                " ",
                "L(f→https://x.org/g)",
                " ",
                "L(https://y.org→https://y.org)",
                " snake_case 2*3"
            ]
        );
    }
}
