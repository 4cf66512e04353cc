//! Reducing an HTML page to the readable text an annotator labels.
//!
//! The page is parsed with a real HTML5 parser (`scraper`, i.e. html5ever), which decodes
//! entities and repairs broken markup. Nothing is ever fetched: images, links, frames and
//! scripts are only nodes in a tree, and the ones that carry no readable text are skipped.
//!
//! The shape of the output:
//!
//! - the `<title>` comes first, as its own paragraph;
//! - every block element (headings, paragraphs, list items, table cells, `div`, …) is a
//!   paragraph, and paragraphs are separated by exactly one blank line (`"\n\n"`);
//! - `<br>` is a line break (`"\n"`); line breaks never pile up into more than one blank line;
//! - whitespace is collapsed as a browser does (runs of ASCII whitespace become one space,
//!   dropped at the edges of lines), except in `<pre>`, where it is kept as written;
//! - U+00A0 NO-BREAK SPACE is not whitespace here: it is kept, since offsets must match what
//!   the reader sees;
//! - no leading or trailing blank lines or whitespace.

use scraper::node::Element;
use scraper::{Html, Node};

/// Elements whose content is never readable text (or is navigation chrome).
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "iframe", "object", "nav", "title",
    "audio", "video", "canvas", "select", "datalist",
];

/// Elements that stand as paragraphs of their own.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "ol",
    "p",
    "plaintext",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose whitespace is kept as written.
const PREFORMATTED: &[&str] = &["pre", "listing", "plaintext", "textarea"];

const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";

/// Pages nested deeper than this are refused: the HTML5 tree builder checks the stack of open
/// elements at every tag, so its time grows with depth × tags (100,000 nested `<div>`s take
/// minutes). Browsers cap the depth too (Chromium at 512); real articles stay far below.
pub const MAX_DEPTH: usize = 1024;

/// How deep the elements of `html` nest, as a linear scan of its tags sees it (a bound for
/// [`MAX_DEPTH`], not a parse): void elements, self-closing tags and elements whose end tag
/// the parser implies (`p`, `li`, `td`, …) do not count; comments and the content of
/// `script`, `style`, `textarea` and `title` are skipped.
pub fn nesting_depth(html: &str) -> usize {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
        "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "!doctype",
    ];
    const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp", "plaintext"];
    let bytes = html.as_bytes();
    let lower = |b: &[u8]| String::from_utf8_lossy(b).to_ascii_lowercase();
    let find = |from: usize, needle: &[u8]| {
        bytes
            .get(from..)
            .and_then(|rest| {
                rest.windows(needle.len())
                    .position(|w| w.eq_ignore_ascii_case(needle))
            })
            .map(|p| from + p)
    };
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(lt) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        let at = i + lt;
        if bytes
            .get(at..)
            .is_some_and(|rest| rest.starts_with(b"<!--"))
        {
            i = find(at + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let closing = bytes.get(at + 1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = bytes
            .get(name_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!' || **b == b'-')
            .count();
        if !bytes
            .get(name_start)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'!')
        {
            i = at + 1;
            continue;
        }
        let name = lower(
            bytes
                .get(name_start..name_start + name_len)
                .unwrap_or_default(),
        );
        let end = find(name_start, b">").unwrap_or(bytes.len());
        i = end + 1;
        if UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if bytes.get(end.saturating_sub(1)) != Some(&b'/') {
            depth += 1;
            max = max.max(depth);
            if RAW.contains(&name.as_str()) {
                let close = format!("</{name}");
                i = find(i, close.as_bytes()).unwrap_or(bytes.len());
            }
        }
    }
    max
}

/// The readable text of an HTML page (see the module docs for its shape).
pub fn html_to_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut title = TitleFinder::default();
    walk(&document, &mut title);
    let mut reader = Reader::default();
    let title = title.text.finish();
    if !title.is_empty() {
        reader.out.push_text(&title, false);
        reader.out.end_block();
    }
    walk(&document, &mut reader);
    reader.out.finish()
}

/// What a walk over the document tree does at each node.
trait Visitor {
    /// Called when entering a node; returns whether to walk into its children.
    fn open(&mut self, node: &Node) -> bool;
    /// Called when leaving a node (also one whose children were not walked).
    fn close(&mut self, node: &Node);
}

/// Walks the whole tree in document order without recursion (a page may nest thousands of
/// elements deep).
fn walk(document: &Html, visitor: &mut impl Visitor) {
    let mut node = document.tree.root();
    'down: loop {
        if visitor.open(node.value())
            && let Some(child) = node.first_child()
        {
            node = child;
            continue;
        }
        loop {
            visitor.close(node.value());
            if let Some(next) = node.next_sibling() {
                node = next;
                continue 'down;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => break 'down,
            }
        }
    }
}

/// Collects the readable text of the body.
#[derive(Default)]
struct Reader {
    out: TextBuilder,
    /// How many preformatted elements enclose the current node.
    pre_depth: usize,
}

impl Visitor for Reader {
    fn open(&mut self, node: &Node) -> bool {
        match node {
            Node::Element(element) if is_skipped(element) => false,
            Node::Element(element) => {
                let name = element.name();
                if name == "br" {
                    self.out.line_break();
                } else if BLOCKS.contains(&name) {
                    self.out.end_block();
                }
                if PREFORMATTED.contains(&name) {
                    self.pre_depth += 1;
                }
                true
            }
            Node::Text(text) => {
                self.out.push_text(text, self.pre_depth > 0);
                false
            }
            Node::Document | Node::Fragment => true,
            Node::Doctype(_) | Node::Comment(_) | Node::ProcessingInstruction(_) => false,
        }
    }

    fn close(&mut self, node: &Node) {
        if let Node::Element(element) = node
            && !is_skipped(element)
        {
            let name = element.name();
            if BLOCKS.contains(&name) {
                self.out.end_block();
            }
            if PREFORMATTED.contains(&name) {
                self.pre_depth = self.pre_depth.saturating_sub(1);
            }
        }
    }
}

fn is_skipped(element: &Element) -> bool {
    let in_html = &*element.name.ns == HTML_NAMESPACE;
    (in_html && SKIPPED.contains(&element.name()))
        || element.name() == "svg"
        || element.attr("hidden").is_some()
        || element.attr("role").is_some_and(|role| {
            role.split_ascii_whitespace()
                .any(|token| token.eq_ignore_ascii_case("navigation"))
        })
}

/// Collects the text of the document's first HTML `<title>`, whitespace collapsed.
#[derive(Default)]
struct TitleFinder {
    text: TextBuilder,
    in_title: bool,
    done: bool,
}

impl Visitor for TitleFinder {
    fn open(&mut self, node: &Node) -> bool {
        match node {
            _ if self.done => false,
            Node::Element(element) => {
                let name = element.name();
                if name == "title" && &*element.name.ns == HTML_NAMESPACE {
                    self.in_title = true;
                }
                name != "svg" && name != "math"
            }
            Node::Text(text) if self.in_title => {
                self.text.push_text(text, false);
                false
            }
            Node::Document | Node::Fragment => true,
            _ => false,
        }
    }

    fn close(&mut self, node: &Node) {
        if self.in_title && matches!(node, Node::Element(_)) {
            self.in_title = false;
            self.done = true;
        }
    }
}

/// Whitespace as HTML collapses it (not U+00A0).
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Accumulates text, collapsing whitespace and separating paragraphs.
#[derive(Default)]
struct TextBuilder {
    out: String,
    /// A collapsible space was seen since the last character written.
    pending_space: bool,
    /// A paragraph ended since the last character written.
    pending_paragraph: bool,
    /// Preformatted spaces and tabs at the start of a paragraph, written only if text follows
    /// on the same line (preformatted blank lines there are dropped).
    held_indent: String,
}

impl TextBuilder {
    fn push_text(&mut self, text: &str, preformatted: bool) {
        for c in text.chars() {
            if !preformatted && is_html_space(c) {
                self.pending_space = true;
                continue;
            }
            let at_paragraph_start = self.pending_paragraph || self.out.is_empty();
            if preformatted && at_paragraph_start && is_html_space(c) {
                if matches!(c, '\n' | '\r') {
                    self.held_indent.clear();
                } else {
                    self.held_indent.push(c);
                }
                continue;
            }
            self.before_content();
            self.out.push(c);
        }
    }

    /// Writes what is owed before the next character: a paragraph break or a collapsed space.
    fn before_content(&mut self) {
        if self.pending_paragraph {
            self.pending_paragraph = false;
            self.pending_space = false;
            self.trim_end();
            if !self.out.is_empty() {
                self.out.push_str("\n\n");
            }
            self.out.push_str(&self.held_indent);
            self.held_indent.clear();
        } else if self.out.is_empty() {
            self.pending_space = false;
            self.out.push_str(&self.held_indent);
            self.held_indent.clear();
        } else if self.pending_space {
            self.pending_space = false;
            if !self.out.is_empty() && !self.out.ends_with('\n') {
                self.out.push(' ');
            }
        }
    }

    fn end_block(&mut self) {
        self.pending_paragraph = true;
        self.pending_space = false;
        self.held_indent.clear();
    }

    fn line_break(&mut self) {
        self.pending_space = false;
        self.held_indent.clear();
        if self.pending_paragraph || self.out.is_empty() || self.out.ends_with("\n\n") {
            return;
        }
        self.trim_end_spaces();
        self.out.push('\n');
    }

    /// Drops trailing HTML whitespace (not U+00A0).
    fn trim_end(&mut self) {
        let kept = self.out.trim_end_matches(is_html_space).len();
        self.out.truncate(kept);
    }

    /// Drops trailing spaces and tabs on the current line (from `<pre>` text).
    fn trim_end_spaces(&mut self) {
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
    }

    fn finish(mut self) -> String {
        self.trim_end();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="description" content="Not article text">
  <title>
    Port strike ends &amp; ferries resume | The Coastal Herald
  </title>
  <link rel="stylesheet" href="http://example.com/site.css">
  <style>body { font-family: serif; } .x::after { content: "hidden"; }</style>
  <script>window.track("page-view"); document.write("<p>injected</p>");</script>
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
  <div class="menu" role="navigation">Sections: Politics, Sport</div>
  <div id="wrapper"><div class="content">
    <article>
      <h1>Dock workers end
          three-day strike</h1>
      <p class="byline">By <a href="/staff/okafor">Ngozi Okafor</a> &mdash; 14&nbsp;March&nbsp;2024</p>
      <img src="http://images.example.com/dock.jpg" alt="Cranes at the dock">
      <p>The   union&nbsp;said on <em>Thursday</em> that its members had
         accepted a <strong>4.5% pay rise</strong>, ending a walkout that
         stranded &quot;thousands&quot; of passengers &#x1F600;.</p>
      <ul>
        <li>Ferries resume on Friday.</li>
        <li>Cargo backlog: <b>two weeks</b></li>
      </ul>
      <p>Harbour master Tomás Reyes:<br>
         &ldquo;We are relieved.&rdquo;<br>Talks continue.</p>
      <pre>  Ferry   times
  07:15  Ness
</pre>
      <blockquote><p>It was worth it,</p> said one docker.</blockquote>
      <template><p>Template text</p></template>
      <noscript>Enable JavaScript</noscript>
      <p hidden>Hidden paragraph</p>
      <svg><title>icon</title><text>svg text</text></svg>
      <iframe src="http://ads.example.com/"></iframe>
    </article>
  </div></div>
  <footer><p>&copy; 2024 Coastal Herald</p></footer>
  <script src="http://example.com/analytics.js"></script>
</body>
</html>
"#;

    #[test]
    fn news_page_reduced_to_readable_text() {
        let expected = "Port strike ends & ferries resume | The Coastal Herald\n\n\
            Dock workers end three-day strike\n\n\
            By Ngozi Okafor — 14\u{a0}March\u{a0}2024\n\n\
            The union\u{a0}said on Thursday that its members had accepted a 4.5% pay rise, \
            ending a walkout that stranded \"thousands\" of passengers \u{1F600}.\n\n\
            Ferries resume on Friday.\n\n\
            Cargo backlog: two weeks\n\n\
            Harbour master Tomás Reyes:\n\u{201c}We are relieved.\u{201d}\nTalks continue.\n\n  \
            Ferry   times\n  07:15  Ness\n\n\
            It was worth it,\n\n\
            said one docker.\n\n\
            © 2024 Coastal Herald";
        assert_eq!(html_to_text(NEWS_PAGE), expected);
    }

    #[test]
    fn whitespace_collapses_like_a_browser() {
        assert_eq!(html_to_text("<p>  a \t\n b  </p>"), "a b");
        assert_eq!(html_to_text("<p>a<em> b </em> c</p>"), "a b c");
        assert_eq!(
            html_to_text("<p>a</p>\n\n\n<p>  </p><div><div>b</div></div>"),
            "a\n\nb"
        );
        assert_eq!(html_to_text("text <span>in</span>line"), "text inline");
        assert_eq!(
            html_to_text("intro<div>block</div>tail"),
            "intro\n\nblock\n\ntail"
        );
        // NBSP is not collapsible whitespace.
        assert_eq!(html_to_text("<p>a&nbsp; &nbsp;b</p>"), "a\u{a0} \u{a0}b");
    }

    #[test]
    fn line_breaks_never_make_more_than_one_blank_line() {
        assert_eq!(html_to_text("<p>a <br> b</p>"), "a\nb");
        assert_eq!(html_to_text("<p>a<br><br><br><br>b</p>"), "a\n\nb");
        assert_eq!(html_to_text("<br><p>a<br></p><br><p>b</p><br>"), "a\n\nb");
    }

    #[test]
    fn pre_keeps_whitespace_but_not_trailing_blank_lines() {
        assert_eq!(
            html_to_text("<p>x</p><pre>\n a  b\n\n\tc  \n\n</pre><p>y</p>"),
            "x\n\n a  b\n\n\tc\n\ny"
        );
        // Blank lines at the start of a `<pre>` are dropped, its first indentation kept.
        assert_eq!(
            html_to_text("<pre>\n\n  \n   code\n  more</pre>"),
            "   code\n  more"
        );
        assert_eq!(
            html_to_text("<p>x</p><pre>  \n\t\n</pre><p>y</p>"),
            "x\n\ny"
        );
    }

    #[test]
    fn tables_and_lists_become_paragraphs() {
        let html = "<table><tr><th>Name</th><td>Age</td></tr><tr><td>Ana</td><td>41</td></tr></table>\
                    <ol><li>one</li><li><p>two</p></li></ol>";
        assert_eq!(html_to_text(html), "Name\n\nAge\n\nAna\n\n41\n\none\n\ntwo");
    }

    #[test]
    fn nothing_is_fetched_or_kept_from_embedded_resources() {
        let html = r#"<html><head><link rel="preload" href="http://evil.example/x"></head>
            <body><img src="http://evil.example/p.png"><object data="http://evil.example/o">fallback</object>
            <p>Only this.</p><video src="http://evil.example/v.mp4">Your browser cannot play video.</video></body></html>"#;
        assert_eq!(html_to_text(html), "Only this.");
    }

    #[test]
    fn title_only_once_and_empty_pages_are_empty() {
        assert_eq!(html_to_text("<title>T</title><p>b</p>"), "T\n\nb");
        assert_eq!(html_to_text("<title> </title><p>b</p>"), "b");
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_text("<script>x</script><style>p{}</style>"), "");
        assert_eq!(html_to_text("<!-- only a comment -->"), "");
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let html = format!(
            "{}deep{}",
            "<div><span>".repeat(3_000),
            "</span></div>".repeat(3_000)
        );
        assert_eq!(html_to_text(&html), "deep");
    }

    #[test]
    fn nesting_depth_is_bounded_by_a_scan() {
        assert_eq!(
            nesting_depth("<html><body><div><p>a<p>b<br><img src=x></div></body></html>"),
            3
        );
        assert_eq!(
            nesting_depth("<div><!-- <div><div> --><script>if (a<b) {}</script></div>"),
            2
        );
        let deep = format!("{}x{}", "<div>".repeat(5000), "</div>".repeat(5000));
        assert_eq!(nesting_depth(&deep), 5000);
        assert_eq!(nesting_depth(&"<p>para".repeat(10_000)), 0);
        assert_eq!(nesting_depth("a < b and <3 hearts, <"), 0);
        assert_eq!(nesting_depth("<DIV><Span/></div"), 1);
    }

    #[test]
    fn broken_markup_is_repaired_by_the_parser() {
        assert_eq!(
            html_to_text("<p>one<p>two &amp three <b>bold"),
            "one\n\ntwo & three bold"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_markup_gives_trimmed_text(
            html in "(<[a-z/!]{0,6}( hidden| role=navigation)?>|[^<&]{0,12}|&[a-z#x0-9]{0,6};?|<br>|<pre>)*"
        ) {
            let text = html_to_text(&html);
            proptest::prop_assert_eq!(text.trim_end_matches(is_html_space), text.as_str());
            // No blank line at the start (a `<pre>` may indent the first line).
            let first_line = text.lines().next().unwrap_or_default();
            proptest::prop_assert!(text.is_empty() || !first_line.trim_matches(is_html_space).is_empty());
            // Paragraphs are separated by one blank line, not whitespace-only lines.
            proptest::prop_assert!(!text.contains("\n\n\n") || html.contains("<pre>"));
        }
    }
}
