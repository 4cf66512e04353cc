//! Reading an article from disk: bytes → decoded text, exactly as written.
//!
//! The decoded text is kept exactly (CRLF and lone CR kept, no Unicode normalisation, no
//! trimming); only a byte order mark is removed, and recorded in [`Article::bom`]. Offsets into
//! the text are the business of `model::text`; this module only decides what the text *is*.
//!
//! How the bytes are decoded, first rule that applies wins:
//!
//! 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) names the encoding;
//! 2. bytes that are valid UTF-8 and hold no NUL are UTF-8;
//! 3. UTF-16 without a byte order mark, recognised by where its zero bytes fall (see
//!    [`sniff_utf16`]); this comes before the NUL check because such text is full of NULs,
//!    and before trusting UTF-8 because ASCII text in UTF-16 is also valid UTF-8;
//! 4. any other NUL byte means a binary file;
//! 5. HTML only: a `<meta charset>` or `http-equiv` declaration in the first 1024 bytes;
//! 6. otherwise the legacy encoding guessed by `chardetng`.
//!
//! Decoding never substitutes U+FFFD: malformed data is refused with its byte offset. Decoded
//! text that holds U+0000 or is thick with control characters is refused as binary, and an
//! article with nothing in it is refused as empty. Every error names the file, at the end of
//! its message.

use std::fmt;
use std::path::{Path, PathBuf};

use encoding_rs::{DecoderResult, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

use super::hash::sha256_hex;
use super::html::html_to_text;

/// How an article file is to be read, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleKind {
    /// Plain text: anything that is not Markdown or HTML.
    Text,
    /// Markdown (`.md`, `.markdown`), loaded as written, like plain text.
    Markdown,
    /// HTML (`.html`, `.htm`, `.xhtml`), reduced to its readable text.
    Html,
}

impl ArticleKind {
    /// The kind of the file at `path`, from its extension (case-insensitive).
    pub fn from_path(path: &Path) -> ArticleKind {
        let ext = path
            .extension()
            .and_then(|ext| ext.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown") => ArticleKind::Markdown,
            Some("html" | "htm" | "xhtml") => ArticleKind::Html,
            _ => ArticleKind::Text,
        }
    }
}

/// An article's text and how it was obtained from the file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The decoded text, kept exactly (for HTML: the readable text of the page).
    pub text: String,
    /// The `encoding_rs` name of the encoding the bytes were decoded with.
    pub encoding: String,
    /// Whether the file began with a byte order mark (which is not part of `text`).
    pub bom: bool,
    pub kind: ArticleKind,
    /// SHA-256 of the file's raw bytes, as lower-case hex.
    pub source_sha256: String,
}

/// Why an article could not be read. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("cannot read article: {source}: {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// No bytes at all, or only a byte order mark.
    #[error("empty article: {}", path.display())]
    Empty { path: PathBuf },
    /// Text that is nothing but whitespace: there is nothing to label.
    #[error("empty article (only whitespace): {}", path.display())]
    OnlyWhitespace { path: PathBuf },
    /// An HTML page nested so deep that parsing it would take minutes.
    #[error(
        "HTML nested {depth} elements deep (more than {}): not read as an article: {}",
        super::html::MAX_DEPTH,
        path.display()
    )]
    TooDeep { path: PathBuf, depth: usize },
    /// An HTML page whose readable text is empty.
    #[error("empty article (the HTML page has no readable text): {}", path.display())]
    NoReadableText { path: PathBuf },
    #[error("binary file, not an article ({evidence}): {}", path.display())]
    Binary {
        path: PathBuf,
        evidence: BinaryEvidence,
    },
    #[error(
        "cannot decode as text (tried {encoding}, {chosen_by}; invalid data at byte offset {byte_offset}): {}",
        path.display()
    )]
    Undecodable {
        path: PathBuf,
        /// The `encoding_rs` name of the encoding that was tried.
        encoding: String,
        chosen_by: EncodingChoice,
        /// Offset of the first malformed byte in the file (byte order mark included).
        byte_offset: usize,
    },
}

impl ArticleError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            ArticleError::Read { path, .. }
            | ArticleError::Empty { path }
            | ArticleError::OnlyWhitespace { path }
            | ArticleError::NoReadableText { path }
            | ArticleError::TooDeep { path, .. }
            | ArticleError::Binary { path, .. }
            | ArticleError::Undecodable { path, .. } => path,
        }
    }
}

/// What gave a file away as binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryEvidence {
    /// A NUL byte (or a decoded U+0000), at this offset in the file.
    NulByte { byte_offset: usize },
    /// Too many control characters (other than tab, line feed, carriage return, form feed).
    ControlCharacters { count: usize, of_chars: usize },
}

impl fmt::Display for BinaryEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BinaryEvidence::NulByte { byte_offset } => {
                write!(f, "NUL byte at byte offset {byte_offset}")
            }
            BinaryEvidence::ControlCharacters { count, of_chars } => {
                write!(f, "{count} control characters in {of_chars} characters")
            }
        }
    }
}

/// How the encoding that failed to decode was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingChoice {
    ByteOrderMark,
    /// Declared by the page itself (`<meta charset>` or `http-equiv`).
    Declared,
    /// Guessed from the bytes by the detector.
    Guessed,
}

impl fmt::Display for EncodingChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EncodingChoice::ByteOrderMark => "named by the byte order mark",
            EncodingChoice::Declared => "declared in the page's <meta>",
            EncodingChoice::Guessed => "guessed from the bytes",
        })
    }
}

/// Reads the file at `path` and decodes it as an article of the kind its extension names.
pub fn read_article(path: &Path) -> Result<Article, ArticleError> {
    let bytes = std::fs::read(path).map_err(|source| ArticleError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode_article(path, &bytes, ArticleKind::from_path(path))
}

/// Decodes the bytes of an article file. `path` is used only in error messages.
pub fn decode_article(
    path: &Path,
    bytes: &[u8],
    kind: ArticleKind,
) -> Result<Article, ArticleError> {
    let decoded = decode_bytes(bytes, kind).map_err(|fault| fault.at(path))?;
    let text = match kind {
        ArticleKind::Html => {
            let depth = super::html::nesting_depth(&decoded.text);
            if depth > super::html::MAX_DEPTH {
                return Err(ArticleError::TooDeep {
                    path: path.to_path_buf(),
                    depth,
                });
            }
            let text = html_to_text(&decoded.text);
            if text.chars().all(char::is_whitespace) {
                return Err(ArticleError::NoReadableText {
                    path: path.to_path_buf(),
                });
            }
            text
        }
        ArticleKind::Text | ArticleKind::Markdown => {
            if decoded.text.chars().all(char::is_whitespace) {
                return Err(ArticleError::OnlyWhitespace {
                    path: path.to_path_buf(),
                });
            }
            decoded.text
        }
    };
    Ok(Article {
        text,
        encoding: decoded.encoding.name().to_string(),
        bom: decoded.bom_len > 0,
        kind,
        source_sha256: sha256_hex(bytes),
    })
}

/// Bytes decoded to text, before any HTML reduction.
struct Decoded {
    text: String,
    encoding: &'static Encoding,
    bom_len: usize,
}

/// A decoding failure, before the path is attached.
enum Fault {
    Empty,
    Binary(BinaryEvidence),
    Undecodable {
        encoding: &'static Encoding,
        chosen_by: EncodingChoice,
        byte_offset: usize,
    },
}

impl Fault {
    fn at(self, path: &Path) -> ArticleError {
        let path = path.to_path_buf();
        match self {
            Fault::Empty => ArticleError::Empty { path },
            Fault::Binary(evidence) => ArticleError::Binary { path, evidence },
            Fault::Undecodable {
                encoding,
                chosen_by,
                byte_offset,
            } => ArticleError::Undecodable {
                path,
                encoding: encoding.name().to_string(),
                chosen_by,
                byte_offset,
            },
        }
    }
}

fn decode_bytes(bytes: &[u8], kind: ArticleKind) -> Result<Decoded, Fault> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if body.is_empty() {
            return Err(Fault::Empty);
        }
        let text = decode_strict(encoding, body).map_err(|offset| Fault::Undecodable {
            encoding,
            chosen_by: EncodingChoice::ByteOrderMark,
            byte_offset: bom_len + offset,
        })?;
        return checked(text, encoding, bom_len);
    }
    if bytes.is_empty() {
        return Err(Fault::Empty);
    }
    let first_nul = bytes.iter().position(|&b| b == 0);
    if first_nul.is_none()
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return checked(text.to_string(), UTF_8, 0);
    }
    if let Some(encoding) = sniff_utf16(bytes)
        && let Ok(text) = decode_strict(encoding, bytes)
    {
        return checked(text, encoding, 0);
    }
    if let Some(byte_offset) = first_nul {
        return Err(Fault::Binary(BinaryEvidence::NulByte { byte_offset }));
    }
    let (encoding, chosen_by) = match declared_charset(bytes, kind) {
        Some(encoding) => (encoding, EncodingChoice::Declared),
        None => (guess_legacy(bytes), EncodingChoice::Guessed),
    };
    let undecodable = |byte_offset| Fault::Undecodable {
        encoding,
        chosen_by,
        byte_offset,
    };
    let decoded = checked(
        decode_strict(encoding, bytes).map_err(undecodable)?,
        encoding,
        0,
    )?;
    // A single-byte encoding maps its unassigned bytes to C1 controls: no text has them, so
    // the guess is wrong. One byte is one character here, so the index is the byte offset.
    if encoding.is_single_byte()
        && let Some(byte_offset) = decoded.text.chars().position(is_c1_control)
    {
        return Err(undecodable(byte_offset));
    }
    Ok(decoded)
}

fn is_c1_control(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Refuses decoded text that is really binary: a U+0000, or C0 control characters (other than
/// tab, line feed, carriage return, form feed) or DEL in more than one character in fifty (a
/// text file may carry a stray one, a binary file is thick with them).
fn checked(text: String, encoding: &'static Encoding, bom_len: usize) -> Result<Decoded, Fault> {
    if let Some(index) = text.find('\0') {
        let prefix = text.get(..index).unwrap_or_default();
        let units = if encoding == UTF_16LE || encoding == UTF_16BE {
            prefix.encode_utf16().count() * 2
        } else {
            // UTF-8 keeps byte offsets; legacy encodings never get here (NUL refused before).
            prefix.len()
        };
        return Err(Fault::Binary(BinaryEvidence::NulByte {
            byte_offset: bom_len + units,
        }));
    }
    let (count, of_chars) = control_characters(&text);
    if count > 0 && count.saturating_mul(50) > of_chars {
        return Err(Fault::Binary(BinaryEvidence::ControlCharacters {
            count,
            of_chars,
        }));
    }
    Ok(Decoded {
        text,
        encoding,
        bom_len,
    })
}

/// (control characters that do not belong in text, all characters).
fn control_characters(text: &str) -> (usize, usize) {
    let mut count = 0;
    let mut chars = 0;
    for c in text.chars() {
        chars += 1;
        let is_text_control = matches!(c, '\t' | '\n' | '\r' | '\x0c');
        if (c < ' ' || c == '\x7f') && !is_text_control {
            count += 1;
        }
    }
    (count, chars)
}

/// Decodes all of `bytes` with `encoding`, refusing malformed data: the error is the byte
/// offset (in `bytes`) where the first malformed sequence starts.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len());
    let mut text = String::with_capacity(capacity);
    let mut consumed = 0;
    loop {
        let rest = bytes.get(consumed..).unwrap_or_default();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        consumed += read;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => {
                let left = bytes.len().saturating_sub(consumed);
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(left)
                    .unwrap_or(left);
                text.reserve(more.max(16));
            }
            DecoderResult::Malformed(bad, after) => {
                return Err(consumed.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

/// Recognises UTF-16 without a byte order mark by where its zero bytes fall.
///
/// In UTF-16 text the high byte of each code unit is zero for every Latin-1 character, and
/// the low byte is almost never zero. So the encoding is taken to be UTF-16 (with the high
/// byte at the odd positions for LE, at the even ones for BE) when, over all code units:
///
/// - the high bytes are zero in at least 60% and the low bytes in at most 10% (Latin text), or
/// - the high bytes are zero in at least 10%, the low bytes in at most 2%, and two values
///   account for at least 90% of the high bytes (one non-Latin script with ASCII spaces and
///   punctuation, e.g. Russian or Greek).
///
/// The caller still requires the bytes to decode cleanly and to read as text.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.len() / 2;
    let mut even = [0usize; 256];
    let mut odd = [0usize; 256];
    for pair in bytes.chunks_exact(2) {
        if let [first, second] = pair {
            if let Some(slot) = even.get_mut(usize::from(*first)) {
                *slot += 1;
            }
            if let Some(slot) = odd.get_mut(usize::from(*second)) {
                *slot += 1;
            }
        }
    }
    let looks_like = |high: &[usize; 256], low: &[usize; 256]| {
        let (high_zero, low_zero) = (high[0], low[0]);
        let latin = high_zero * 10 >= units * 6 && low_zero * 10 <= units;
        let mut sorted = *high;
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        let top_two = sorted[0] + sorted[1];
        let one_script =
            high_zero * 10 >= units && low_zero * 50 <= units && top_two * 10 >= units * 9;
        latin || one_script
    };
    if looks_like(&odd, &even) {
        Some(UTF_16LE)
    } else if looks_like(&even, &odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The legacy encoding `chardetng` guesses for `bytes` (which are not valid UTF-8).
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    usable(detector.guess(None, false))
}

/// Maps an encoding to the one actually used to decode: GBK is decoded by the gb18030
/// decoder in `encoding_rs` anyway, so record the precise name.
fn usable(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == GBK { GB18030 } else { encoding }
}

/// For HTML, the encoding a `<meta charset=…>` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` in the first 1024 bytes declares, if `encoding_rs` knows it.
/// As in browsers, a declared UTF-16 means UTF-8 and `x-user-defined` means windows-1252.
fn declared_charset(bytes: &[u8], kind: ArticleKind) -> Option<&'static Encoding> {
    if kind != ArticleKind::Html {
        return None;
    }
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    let mut rest = head;
    while let Some(start) = find_ascii_ci(rest, b"<meta") {
        let after = rest.get(start + 5..).unwrap_or_default();
        let at_boundary = matches!(
            after.first(),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/')
        );
        if at_boundary
            && let Some(label) = meta_charset_label(after)
            && let Some(encoding) = Encoding::for_label(label)
        {
            if encoding == UTF_16LE || encoding == UTF_16BE {
                return Some(UTF_8);
            }
            if encoding == encoding_rs::X_USER_DEFINED {
                return Some(encoding_rs::WINDOWS_1252);
            }
            if encoding == encoding_rs::REPLACEMENT {
                return None;
            }
            return Some(usable(encoding));
        }
        rest = after;
    }
    None
}

/// The charset label in the attributes of one `<meta` tag (`tag` starts after `<meta`).
fn meta_charset_label(tag: &[u8]) -> Option<&[u8]> {
    let mut charset = None;
    let mut content = None;
    let mut is_content_type = false;
    let mut pos = 0;
    let at = |pos: usize| tag.get(pos).copied();
    loop {
        while matches!(at(pos), Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/')) {
            pos += 1;
        }
        match at(pos) {
            None | Some(b'>') => break,
            Some(_) => {}
        }
        let name_start = pos;
        while !matches!(
            at(pos),
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'=')
        ) {
            pos += 1;
        }
        let name = tag.get(name_start..pos).unwrap_or_default();
        while matches!(at(pos), Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')) {
            pos += 1;
        }
        let mut value: &[u8] = &[];
        if at(pos) == Some(b'=') {
            pos += 1;
            while matches!(at(pos), Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')) {
                pos += 1;
            }
            let (start, end) = match at(pos) {
                Some(quote @ (b'"' | b'\'')) => {
                    let start = pos + 1;
                    let len = tag.get(start..)?.iter().position(|&b| b == quote)?;
                    pos = start + len + 1;
                    (start, start + len)
                }
                _ => {
                    let start = pos;
                    while !matches!(
                        at(pos),
                        None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>')
                    ) {
                        pos += 1;
                    }
                    (start, pos)
                }
            };
            value = tag.get(start..end).unwrap_or_default();
        }
        if name.eq_ignore_ascii_case(b"charset") {
            charset.get_or_insert(value);
        } else if name.eq_ignore_ascii_case(b"content") {
            content.get_or_insert(value);
        } else if name.eq_ignore_ascii_case(b"http-equiv") {
            is_content_type |= value.trim_ascii().eq_ignore_ascii_case(b"content-type");
        }
    }
    if let Some(label) = charset {
        return Some(label);
    }
    if is_content_type {
        return content.and_then(charset_in_content);
    }
    None
}

/// The label after `charset=` in a Content-Type value such as `text/html; charset=KOI8-R`.
fn charset_in_content(content: &[u8]) -> Option<&[u8]> {
    let start = find_ascii_ci(content, b"charset")? + 7;
    let rest = content.get(start..)?.trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| {
            matches!(
                b,
                b';' | b'"' | b'\'' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
            )
        })
        .unwrap_or(rest.len());
    rest.get(..end).filter(|label| !label.is_empty())
}

/// Position of `needle` (lower-case ASCII) in `haystack`, ignoring ASCII case.
fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ENGLISH: &str = "The harbour authority said on Tuesday that the “north quay” would reopen on 3 March, after a café owner, Renée Dufour, complained that repairs costing €2.4 million had stalled. Officials denied the claim.\n";
    const FRENCH: &str = "Le maire de Lyon a déclaré mercredi que la rénovation du théâtre coûterait 12 millions d’euros. « Nous avons été très prudents », a-t-il précisé devant le conseil municipal, où l’opposition a dénoncé une dépense excessive et réclamé un débat public avant l’été.\n";
    const RUSSIAN: &str = "Министр иностранных дел России Сергей Лавров заявил в понедельник, что страна приостанавливает работу своего постоянного представительства при НАТО. По его словам, решение принято после того, как альянс выслал восемь сотрудников российской миссии в Брюсселе.\n";
    const JAPANESE: &str = "東京都の知事は月曜日、新しい防災計画を発表した。計画では、首都直下地震に備えて避難所の数を二倍に増やし、すべての区に備蓄倉庫を設置するという。知事は記者会見で「市民の命を守ることが最優先だ」と述べ、来年度の予算に必要な費用を計上する考えを示した。\n";
    const CHINESE: &str = "北京市政府星期三宣布，将在明年春天之前完成老城区供暖管道的改造工程。负责该项目的副市长在新闻发布会上表示，工程总投资约为三十亿元，预计将使二十多万户居民受益。一些居民代表对施工期间的交通安排表示担忧。\n";
    const KOREAN: &str = "서울시는 화요일 대중교통 요금을 내년 삼월부터 인상한다고 발표했다. 시 관계자는 기자회견에서 적자가 계속 늘어나고 있어 요금 조정이 불가피하다고 설명했다. 시민단체는 이번 결정이 서민의 부담을 키울 것이라며 반대 입장을 밝혔다.\n";
    const CZECH: &str = "Ministr zahraničí České republiky ve čtvrtek oznámil, že vláda schválila novou strategii pro spolupráci se sousedními státy. Podle jeho slov se příští jednání uskuteční v Brně už v září. Opozice však kritizuje, že o plánu nebyla předem informována.\n";

    fn path() -> &'static Path {
        Path::new("data/article.txt")
    }

    fn decode(bytes: &[u8]) -> Result<Article, ArticleError> {
        decode_article(path(), bytes, ArticleKind::Text)
    }

    fn encoded(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, used, unmappable) = encoding.encode(text);
        assert_eq!(used, encoding);
        assert!(!unmappable, "{} cannot encode the sample", encoding.name());
        bytes.into_owned()
    }

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|unit| {
                if little_endian {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                }
            })
            .collect()
    }

    fn assert_decodes(bytes: &[u8], text: &str, encoding: &str, bom: bool) {
        let article = decode(bytes).unwrap();
        assert_eq!(article.text, text);
        assert_eq!(article.encoding, encoding);
        assert_eq!(article.bom, bom);
        assert_eq!(article.source_sha256, sha256_hex(bytes));
    }

    #[test]
    fn kind_from_extension() {
        let kind = |name: &str| ArticleKind::from_path(Path::new(name));
        assert_eq!(kind("a.md"), ArticleKind::Markdown);
        assert_eq!(kind("dir/a.MarkDown"), ArticleKind::Markdown);
        assert_eq!(kind("a.HTML"), ArticleKind::Html);
        assert_eq!(kind("a.htm"), ArticleKind::Html);
        assert_eq!(kind("a.xhtml"), ArticleKind::Html);
        assert_eq!(kind("a.txt"), ArticleKind::Text);
        assert_eq!(kind("README"), ArticleKind::Text);
        assert_eq!(kind("a.html.bak"), ArticleKind::Text);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_decodes(ENGLISH.as_bytes(), ENGLISH, "UTF-8", false);
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(RUSSIAN.as_bytes());
        assert_decodes(&with_bom, RUSSIAN, "UTF-8", true);
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16(JAPANESE, true));
        assert_decodes(&le, JAPANESE, "UTF-16LE", true);
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16(ENGLISH, false));
        assert_decodes(&be, ENGLISH, "UTF-16BE", true);
    }

    #[test]
    fn utf16_without_bom() {
        assert_decodes(&utf16(ENGLISH, true), ENGLISH, "UTF-16LE", false);
        assert_decodes(&utf16(ENGLISH, false), ENGLISH, "UTF-16BE", false);
        // One non-Latin script with ASCII spaces: the second rule of the heuristic.
        assert_decodes(&utf16(RUSSIAN, true), RUSSIAN, "UTF-16LE", false);
    }

    #[test]
    fn legacy_encodings_detected_and_decoded_exactly() {
        let cases: [(&'static Encoding, &str, &str); 7] = [
            (encoding_rs::WINDOWS_1252, ENGLISH, "windows-1252"),
            (encoding_rs::WINDOWS_1252, FRENCH, "windows-1252"),
            // chardetng names KOI8-R "KOI8-U", which decodes Russian identically.
            (encoding_rs::KOI8_R, RUSSIAN, "KOI8-U"),
            (encoding_rs::SHIFT_JIS, JAPANESE, "Shift_JIS"),
            (encoding_rs::GB18030, CHINESE, "gb18030"),
            (encoding_rs::EUC_KR, KOREAN, "EUC-KR"),
            (encoding_rs::ISO_8859_2, CZECH, "ISO-8859-2"),
        ];
        for (encoding, text, name) in cases {
            assert_decodes(&encoded(encoding, text), text, name, false);
        }
        assert_decodes(
            &encoded(encoding_rs::WINDOWS_1251, RUSSIAN),
            RUSSIAN,
            "windows-1251",
            false,
        );
    }

    #[test]
    fn line_endings_and_edge_whitespace_kept() {
        let text = "  Headline\r\n\r\nFirst line\rsecond line\r\nlast line without newline \t";
        let article = decode(text.as_bytes()).unwrap();
        assert_eq!(article.text, text);
        assert_eq!("a\r\nb".chars().count(), 4);
        assert_eq!(article.text.chars().count(), text.chars().count());
        let legacy = encoded(encoding_rs::WINDOWS_1252, &ENGLISH.replace('\n', "\r\n"));
        assert_eq!(decode(&legacy).unwrap().text, ENGLISH.replace('\n', "\r\n"));
    }

    #[test]
    fn nul_bytes_are_binary() {
        let mut bytes = ENGLISH.as_bytes().to_vec();
        bytes.insert(17, 0);
        let err = decode(&bytes).unwrap_err();
        assert!(matches!(
            err,
            ArticleError::Binary {
                evidence: BinaryEvidence::NulByte { byte_offset: 17 },
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "binary file, not an article (NUL byte at byte offset 17): data/article.txt"
        );
        // A decoded U+0000 behind a BOM is reported at its offset in the file.
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16("ab\0c", true));
        let err = decode(&le).unwrap_err();
        assert!(
            err.to_string().contains("NUL byte at byte offset 6"),
            "{err}"
        );
    }

    #[test]
    fn png_and_random_bytes_are_binary() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
        let err = decode(png).unwrap_err();
        assert!(matches!(err, ArticleError::Binary { .. }), "{err}");
        assert!(err.to_string().ends_with(": data/article.txt"));

        // Deterministic pseudo-random bytes, with and without NULs.
        let mut state = 0x2545_f491_u32;
        let mut random: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state.to_le_bytes()[0]
            })
            .collect();
        assert!(matches!(decode(&random), Err(ArticleError::Binary { .. })));
        random.retain(|&b| b != 0);
        let err = decode(&random).unwrap_err();
        assert!(
            matches!(
                err,
                ArticleError::Binary {
                    evidence: BinaryEvidence::ControlCharacters { .. },
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn control_characters_are_binary_but_a_stray_one_is_not() {
        let noisy: String = "ab\x01\x02cd\x03\x1b".repeat(20);
        let err = decode(noisy.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("control characters"), "{err}");
        let stray = format!("{ENGLISH}\x1a");
        assert_eq!(decode(stray.as_bytes()).unwrap().text, stray);
        let form_feeds = format!("{ENGLISH}\x0c{ENGLISH}");
        assert_eq!(decode(form_feeds.as_bytes()).unwrap().text, form_feeds);
    }

    #[test]
    fn empty_is_refused() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"] {
            let err = decode(bytes).unwrap_err();
            assert_eq!(err.to_string(), "empty article: data/article.txt");
        }
        let err = decode(b" \r\n\t\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "empty article (only whitespace): data/article.txt"
        );
        let err = decode_article(
            Path::new("x.html"),
            b"<html><script>x()</script></html>",
            ArticleKind::Html,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "empty article (the HTML page has no readable text): x.html"
        );
    }

    #[test]
    fn invalid_data_is_refused_with_offset() {
        // A BOM promises UTF-8; the lone continuation byte breaks it.
        let err = decode(b"\xEF\xBB\xBFabc\x80def").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot decode as text (tried UTF-8, named by the byte order mark; invalid data at byte offset 6): data/article.txt"
        );
        // UTF-16 with a BOM and an unpaired surrogate.
        let err = decode(b"\xFF\xFEa\0\x00\xD8b\0").unwrap_err();
        assert!(
            matches!(err, ArticleError::Undecodable { byte_offset: 4, .. }),
            "{err}"
        );
        // Shift_JIS text with a broken double-byte sequence at the end.
        let mut sjis = encoded(encoding_rs::SHIFT_JIS, JAPANESE);
        // The detector then falls back to a single-byte guess, which meets bytes it has no
        // character for: undecodable, not binary.
        sjis.extend_from_slice(b"\x81");
        let err = decode(&sjis).unwrap_err();
        assert!(
            matches!(
                err,
                ArticleError::Undecodable {
                    chosen_by: EncodingChoice::Guessed,
                    ..
                }
            ),
            "{err}"
        );
        // windows-1252 has no character for 0x81.
        let err = decode(b"Caf\xe9 au lait, r\xe9sum\xe9 \x81 na\xefve").unwrap_err();
        assert!(
            err.to_string().contains("invalid data at byte offset"),
            "{err}"
        );
        assert!(err.to_string().ends_with(": data/article.txt"));
    }

    #[test]
    fn markdown_is_read_as_written() {
        let md = "# Port strike\r\n\r\n*Dockers* walked out on **Monday**, [union](https://example.org) says.\n";
        let article =
            decode_article(Path::new("a.md"), md.as_bytes(), ArticleKind::Markdown).unwrap();
        assert_eq!(article.text, md);
        assert_eq!(article.kind, ArticleKind::Markdown);
    }

    #[test]
    fn html_decoding_uses_bom_utf8_meta_then_detector() {
        let page = |charset: &str, body: &str| {
            format!(
                "<!doctype html><html><head><meta charset=\"{charset}\"><title>T</title></head><body><p>{body}</p></body></html>"
            )
        };
        let html = |bytes: &[u8]| decode_article(Path::new("p.html"), bytes, ArticleKind::Html);

        let article = html(page("windows-1252", "Café “quoted” €5").as_bytes()).unwrap();
        assert_eq!(
            (article.text.as_str(), article.encoding.as_str()),
            ("T\n\nCafé “quoted” €5", "UTF-8")
        );

        // Declared KOI8-R is used as declared (the detector would have said KOI8-U).
        let bytes = encoded(encoding_rs::KOI8_R, &page("koi8-r", "Лавров заявил"));
        let article = html(&bytes).unwrap();
        assert_eq!(
            (article.text.as_str(), article.encoding.as_str()),
            ("T\n\nЛавров заявил", "KOI8-R")
        );

        let http_equiv = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=Shift_JIS'></head><body>東京都の知事</body></html>";
        let article = html(&encoded(encoding_rs::SHIFT_JIS, http_equiv)).unwrap();
        assert_eq!(
            (article.text.as_str(), article.encoding.as_str()),
            ("東京都の知事", "Shift_JIS")
        );

        // A declaration the bytes do not honour is refused, naming what was tried.
        let err = html(&encoded(encoding_rs::WINDOWS_1252, &page("utf-8", "Café"))).unwrap_err();
        assert!(
            err.to_string()
                .contains("tried UTF-8, declared in the page's <meta>"),
            "{err}"
        );

        // Unknown label: fall back to the detector.
        let body =
            format!("<html><head><meta charset=bogus></head><body><p>{RUSSIAN}</p></body></html>");
        let article = html(&encoded(encoding_rs::WINDOWS_1251, &body)).unwrap();
        assert_eq!(article.encoding, "windows-1251");
        assert_eq!(article.text, RUSSIAN.trim_end());
    }

    #[test]
    fn read_article_reports_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("a.txt");
        let err = read_article(&missing).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("cannot read article: "), "{message}");
        assert!(
            message.ends_with(&format!(": {}", missing.display())),
            "{message}"
        );

        let file = dir.path().join("b.TXT");
        std::fs::write(&file, ENGLISH).unwrap();
        let article = read_article(&file).unwrap();
        assert_eq!(
            (article.text.as_str(), article.kind),
            (ENGLISH, ArticleKind::Text)
        );
    }

    #[test]
    fn sample_docs_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_docs");
        let load = |name: &str| read_article(&dir.join(name)).unwrap();
        let crlf = load("council_minutes_crlf.txt");
        assert!(crlf.text.contains("\r\n") && !crlf.text.replace("\r\n", "").contains('\n'));
        let multilingual = load("multilingual.txt");
        for needle in [
            "\u{a0}",
            "e\u{301}",
            "\u{1F469}\u{200D}\u{1F52C}",
            "\u{1F44D}\u{1F3FD}",
            "Анна",
            "李明",
            "محمد",
        ] {
            assert!(multilingual.text.contains(needle), "{needle}");
        }
        assert_eq!(load("press_briefing.md").kind, ArticleKind::Markdown);
        let html = load("harbour_report.html");
        assert_eq!(html.kind, ArticleKind::Html);
        assert!(html.text.starts_with(
            "Kelmouth harbour reopens north quay after storm repairs – The Kelmouth Courier\n\n"
        ));
        assert!(!html.text.contains("dataLayer") && !html.text.contains("Business"));
        assert!(load("russia_nato.txt").text.contains("Lavrov"));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            for kind in [ArticleKind::Text, ArticleKind::Markdown, ArticleKind::Html] {
                if let Err(err) = decode_article(path(), &bytes, kind) {
                    prop_assert!(err.to_string().ends_with("data/article.txt"));
                }
            }
        }

        #[test]
        fn any_utf8_text_round_trips(text in "\\PC*[a-z]\\PC*") {
            // No control characters (`\PC`), at least one letter: always an article.
            let article = decode(text.as_bytes());
            prop_assert!(article.is_ok(), "{:?}", article);
            prop_assert_eq!(article.map(|a| a.text).unwrap_or_default(), text);
        }
    }
}
