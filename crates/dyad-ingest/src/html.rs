//! HTML → article text and metadata.
//!
//! 1. A linear scan of the raw HTML (no tree, no recursion) estimates the nesting depth and
//!    builds the *raw text stream*: every character of character data with its byte offset
//!    in the raw HTML (entities decoded, tags and comments skipped).
//! 2. `scraper` (html5ever) parses the page. Pages nested deeper than [`MAX_DEPTH`] are
//!    refused before parsing: html5ever's scope checks make such input quadratic.
//! 3. Metadata comes from `<meta>` tags, JSON-LD, `<link rel=canonical>`, `<time>`, `<title>`.
//! 4. The content root is the `articleBody`, the largest `<article>`, `<main>` or `<body>`;
//!    navigation, headers, footers, asides, forms, scripts, styles, boilerplate classes
//!    (`data/boilerplate-classes.txt`) and link lists are dropped; blocks become lines.
//! 5. Each kept text node is found in the raw text stream (in document order, in a bounded
//!    window), which gives the alignment from clean text back to the raw HTML.

use crate::IngestErrorKind;
use crate::date::parse_date;
use crate::normalize::{UNKNOWN, normalize_chars};
use dyad_document::{Alignment, Date};
use ego_tree::iter::Edge;
use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use scraper::{Html, Node};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Deepest element nesting accepted (html5ever is quadratic in the depth).
pub const MAX_DEPTH: usize = 5000;

/// How far past the previous match a text node is looked for in the raw text stream.
const MATCH_WINDOW: usize = 4096;

/// What [`clean_html`] extracts from a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CleanHtml {
    /// The article text: one paragraph a line, NFC-normalized, trimmed.
    pub text: String,
    /// Headline (`og:title`, JSON-LD `headline`, `<title>` without the site name, `<h1>`).
    pub title: Option<String>,
    /// Publication date (`article:published_time` and similar meta tags, JSON-LD
    /// `datePublished`, `<time datetime>`).
    pub published: Option<Date>,
    /// Canonical URL (`<link rel=canonical>`, `og:url`).
    pub url: Option<String>,
    /// Outlet name (`og:site_name`, JSON-LD `publisher.name`).
    pub source: Option<String>,
    /// Primary language subtag of `<html lang>` (`en`).
    pub language: Option<String>,
    /// Map from `text` byte offsets back to byte offsets in the HTML string given.
    pub alignment: Alignment,
}

/// Extracts the main text and metadata of an HTML page or fragment.
///
/// Fails with [`IngestErrorKind::TooDeep`] on absurdly nested markup and
/// [`IngestErrorKind::NoText`] when no text is left. Never panics.
pub fn clean_html(html: &str) -> Result<CleanHtml, IngestErrorKind> {
    let stream = RawTextStream::scan(html);
    if stream.max_depth > MAX_DEPTH {
        return Err(IngestErrorKind::TooDeep {
            depth: stream.max_depth,
            limit: MAX_DEPTH,
        });
    }
    let page = Html::parse_document(html);
    let mut out = metadata(&page);
    let lengths = text_lengths(&page);
    let positions = match_text_nodes(&page, &stream);
    let root = content_root(&page, &lengths);
    let root_len = lengths.get(&root.id()).map_or(0, |l| l.text);
    for heuristics in [true, false] {
        let chars = emit(root, &lengths, root_len, heuristics, &positions, &stream);
        let (text, alignment) = normalize_chars(chars.into_iter(), html.len() / 2);
        if !text.is_empty() {
            out.text = text;
            out.alignment = alignment;
            return Ok(out);
        }
    }
    Err(IngestErrorKind::NoText)
}

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

/// The character data of the raw HTML, with the raw byte offset of every byte.
struct RawTextStream {
    text: String,
    offsets: Vec<u32>,
    max_depth: usize,
}

/// Elements whose content is not markup (skipped entirely by the scan).
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript",
];
/// Elements whose content is text with entities but no tags.
const ESCAPABLE_RAW_TEXT: &[&str] = &["title", "textarea"];
/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame", "basefont", "bgsound", "image",
];
/// Elements the parser closes on its own; they do not deepen the tree.
const AUTO_CLOSED: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "rb",
    "rt", "rp", "rtc", "colgroup", "caption", "html", "head", "body",
];

impl RawTextStream {
    fn scan(html: &str) -> RawTextStream {
        let bytes = html.as_bytes();
        let mut stream = RawTextStream {
            text: String::with_capacity(html.len() / 2),
            offsets: Vec::with_capacity(html.len() / 2),
            max_depth: 0,
        };
        let mut depth = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'<' {
                let next = bytes.get(i + 1).copied().unwrap_or(0);
                if bytes[i..].starts_with(b"<!--") {
                    i = find(bytes, i + 4, b"-->").map_or(bytes.len(), |e| e + 3);
                    continue;
                }
                if next == b'!' || next == b'?' {
                    i = memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len(), |e| i + e + 1);
                    continue;
                }
                let end_tag = next == b'/';
                let name_start = if end_tag { i + 2 } else { i + 1 };
                if bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                    let name_end = bytes[name_start..]
                        .iter()
                        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
                        .map_or(bytes.len(), |e| name_start + e);
                    let name = html[name_start..name_end].to_ascii_lowercase();
                    let tag_end = tag_end(bytes, name_end);
                    let self_closing = tag_end >= 2 && bytes.get(tag_end - 2) == Some(&b'/');
                    i = tag_end;
                    let counted =
                        !VOID.contains(&name.as_str()) && !AUTO_CLOSED.contains(&name.as_str());
                    if end_tag {
                        if counted {
                            depth = depth.saturating_sub(1);
                        }
                        continue;
                    }
                    if counted && !self_closing {
                        depth += 1;
                        stream.max_depth = stream.max_depth.max(depth);
                    }
                    if RAW_TEXT.contains(&name.as_str()) {
                        i = find_end_tag(bytes, i, &name);
                    } else if ESCAPABLE_RAW_TEXT.contains(&name.as_str()) {
                        let end = find_end_tag(bytes, i, &name);
                        stream.push_text(html, i, end);
                        i = end;
                    } else if name == "plaintext" {
                        stream.push_text(html, i, bytes.len());
                        i = bytes.len();
                    }
                    continue;
                }
                stream.push(b'<' as char, i);
                i += 1;
                continue;
            }
            let next_tag = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |e| i + e);
            stream.push_text(html, i, next_tag);
            i = next_tag;
        }
        stream
    }

    fn push(&mut self, c: char, raw: usize) {
        let raw = raw as u32;
        let mut buffer = [0u8; 4];
        let encoded = c.encode_utf8(&mut buffer);
        self.text.push_str(encoded);
        self.offsets.extend(std::iter::repeat_n(raw, encoded.len()));
    }

    /// Character data `html[start..end]`: entities decoded, CR LF → LF, NUL dropped.
    fn push_text(&mut self, html: &str, start: usize, end: usize) {
        let Some(text) = html.get(start..end) else {
            return;
        };
        let mut chars = text.char_indices().peekable();
        while let Some((k, c)) = chars.next() {
            let raw = start + k;
            match c {
                '&' => {
                    let (decoded, consumed) = decode_entity(&text[k..]);
                    match decoded {
                        Some((first, second)) => {
                            self.push(first, raw);
                            if let Some(second) = second {
                                self.push(second, raw);
                            }
                            while chars.peek().is_some_and(|&(j, _)| j < k + consumed) {
                                chars.next();
                            }
                        }
                        None => self.push('&', raw),
                    }
                }
                '\r' => {
                    if chars.peek().is_some_and(|&(_, c)| c == '\n') {
                        continue;
                    }
                    self.push('\n', raw);
                }
                '\0' => {}
                c => {
                    let raw = raw as u32;
                    self.text.push(c);
                    self.offsets
                        .extend((0..c.len_utf8() as u32).map(|d| raw + d));
                }
            }
        }
    }
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|e| from + e)
}

/// One past the `>` closing the tag whose name ends at `from` (quotes respected).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return k + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// Start of `</name` (case-insensitive) at or after `from`, or the end of the input.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(found) = find(bytes, at, b"</") {
        let name_start = found + 2;
        let matches = bytes
            .get(name_start..name_start + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        let delimited = bytes
            .get(name_start + name.len())
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
        if matches && delimited {
            return found;
        }
        at = name_start;
    }
    bytes.len()
}

/// Decodes the character reference at the start of `s` (which starts with `&`):
/// the character(s) and the bytes consumed, or `None` when it is a literal `&`.
#[allow(clippy::type_complexity)]
fn decode_entity(s: &str) -> (Option<(char, Option<char>)>, usize) {
    let bytes = s.as_bytes();
    if bytes.get(1) == Some(&b'#') {
        let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
        let digits_start = if hex { 3 } else { 2 };
        let digits = bytes[digits_start.min(bytes.len())..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return (None, 1);
        }
        let text = &s[digits_start..digits_start + digits];
        let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let mut consumed = digits_start + digits;
        if bytes.get(consumed) == Some(&b';') {
            consumed += 1;
        }
        let c = match value {
            0x80..=0x9f => C1_REPLACEMENTS[(value - 0x80) as usize]
                .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
            0 => '\u{fffd}',
            v => char::from_u32(v).unwrap_or('\u{fffd}'),
        };
        return (Some((c, None)), consumed);
    }
    let name_len = bytes[1..]
        .iter()
        .take(40)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return (None, 1);
    }
    // The table also holds prefixes of names, with the value (0, 0).
    let chars = |(a, b): (u32, u32)| {
        let first = char::from_u32(a).filter(|&c| c != '\0')?;
        Some((first, if b == 0 { None } else { char::from_u32(b) }))
    };
    if bytes.get(1 + name_len) == Some(&b';')
        && let Some(decoded) = NAMED_ENTITIES
            .get(&s[1..name_len + 2])
            .and_then(|&v| chars(v))
    {
        return (Some(decoded), name_len + 2);
    }
    // Legacy references without `;` (`&amp`, `&copy2021`): longest known prefix.
    for len in (2..=name_len).rev() {
        if let Some(decoded) = NAMED_ENTITIES.get(&s[1..1 + len]).and_then(|&v| chars(v)) {
            return (Some(decoded), 1 + len);
        }
    }
    (None, 1)
}

/// Text length (bytes of non-whitespace text) and link text length of every element.
#[derive(Debug, Clone, Copy, Default)]
struct Lengths {
    text: usize,
    link: usize,
}

fn is_text_container(name: &str) -> bool {
    !matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "title"
    )
}

fn text_lengths(page: &Html) -> HashMap<ego_tree::NodeId, Lengths> {
    let mut lengths = HashMap::new();
    let mut stack: Vec<(ego_tree::NodeId, Lengths)> = Vec::new();
    let mut link_depth = 0usize;
    let mut hidden_depth = 0usize;
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if name == "a" {
                        link_depth += 1;
                    }
                    if !is_text_container(name) {
                        hidden_depth += 1;
                    }
                    stack.push((node.id(), Lengths::default()));
                }
                Node::Text(text) if hidden_depth == 0 => {
                    let len = text.trim().len();
                    if let Some((_, top)) = stack.last_mut() {
                        top.text += len;
                        if link_depth > 0 {
                            top.link += len;
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    if element.name() == "a" {
                        link_depth = link_depth.saturating_sub(1);
                    }
                    if !is_text_container(element.name()) {
                        hidden_depth = hidden_depth.saturating_sub(1);
                    }
                    if let Some((id, own)) = stack.pop() {
                        lengths.insert(id, own);
                        if let Some((_, parent)) = stack.last_mut() {
                            parent.text += own.text;
                            parent.link += own.link;
                        }
                    }
                }
            }
        }
    }
    lengths
}

/// Where each non-blank text node starts in the raw text stream.
fn match_text_nodes(page: &Html, stream: &RawTextStream) -> HashMap<ego_tree::NodeId, usize> {
    let mut positions = HashMap::new();
    let mut cursor = 0usize;
    for node in page.tree.root().descendants() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        let text: &str = text;
        if text.trim().is_empty() {
            continue;
        }
        let in_raw_text = node
            .parent()
            .and_then(|p| p.value().as_element().map(|e| RAW_TEXT.contains(&e.name())))
            .unwrap_or(false);
        if in_raw_text {
            continue;
        }
        let window_end = floor_boundary(
            &stream.text,
            cursor.saturating_add(text.len() + MATCH_WINDOW),
        );
        let Some(window) = stream.text.get(cursor..window_end) else {
            continue;
        };
        if let Some(found) = memchr::memmem::find(window.as_bytes(), text.as_bytes()) {
            positions.insert(node.id(), cursor + found);
            cursor += found + text.len();
        }
    }
    positions
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The element holding the article: `itemprop=articleBody`, the largest `<article>`
/// (when it holds a fair share of the page), `<main>`, `role=main`, else `<body>`.
fn content_root<'a>(page: &'a Html, lengths: &HashMap<ego_tree::NodeId, Lengths>) -> NodeRef<'a> {
    let len = |node: &NodeRef| lengths.get(&node.id()).map_or(0, |l| l.text);
    let mut body = None;
    let mut article_body: Option<NodeRef> = None;
    let mut article: Option<NodeRef> = None;
    let mut main: Option<NodeRef> = None;
    for node in page.tree.root().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let better = |best: &Option<NodeRef>| best.as_ref().is_none_or(|b| len(&node) > len(b));
        match element.name() {
            "body" if body.is_none() => body = Some(node),
            "article" if better(&article) => article = Some(node),
            "main" if better(&main) => main = Some(node),
            _ => {}
        }
        if element.attr("role") == Some("main") && better(&main) {
            main = Some(node);
        }
        if element
            .attr("itemprop")
            .is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
            && better(&article_body)
        {
            article_body = Some(node);
        }
    }
    let page_root = body.unwrap_or_else(|| page.tree.root());
    let page_len = len(&page_root).max(1);
    for candidate in [article_body, article, main].into_iter().flatten() {
        // A teaser card is not the article: demand a fair share of the page text.
        if len(&candidate) * 4 >= page_len {
            return candidate;
        }
    }
    page_root
}

/// Elements never part of the article text.
const ALWAYS_DROPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "iframe",
    "svg",
    "math",
    "button",
    "select",
    "input",
    "textarea",
    "option",
    "label",
    "canvas",
    "video",
    "audio",
    "object",
    "embed",
    "map",
    "picture",
    "img",
    "figure",
    "figcaption",
    "dialog",
    "h1",
];
/// Page furniture, dropped unless it holds half the text (then the markup is odd, not boilerplate).
const FURNITURE: &[&str] = &["nav", "header", "footer", "aside", "form", "menu"];
/// Roles of page furniture.
const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "alertdialog",
    "search",
    "menu",
    "menubar",
    "toolbar",
    "alert",
];
/// Elements that end a line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "caption",
    "address",
    "hr",
    "br",
    "details",
    "summary",
    "center",
    "hgroup",
    "body",
    "nav",
    "aside",
    "form",
    "fieldset",
    "figure",
    "legend",
];

/// The boilerplate words of `data/boilerplate-classes.txt`: exact words and prefixes.
struct BoilerplateWords {
    exact: Vec<String>,
    prefixes: Vec<String>,
}

fn boilerplate_words() -> &'static BoilerplateWords {
    static WORDS: OnceLock<BoilerplateWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = BoilerplateWords {
            exact: Vec::new(),
            prefixes: Vec::new(),
        };
        for line in include_str!("../data/boilerplate-classes.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.strip_suffix('*') {
                Some(prefix) => words.prefixes.push(prefix.to_string()),
                None => words.exact.push(line.to_string()),
            }
        }
        words
    })
}

fn has_boilerplate_word(value: &str) -> bool {
    let words = boilerplate_words();
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|word| {
            let word = word.to_ascii_lowercase();
            words.exact.contains(&word) || words.prefixes.iter().any(|p| word.starts_with(p))
        })
}

/// Should this element (and everything in it) be left out of the text?
fn is_dropped(
    node: &NodeRef,
    root_len: usize,
    lengths: &HashMap<ego_tree::NodeId, Lengths>,
    heuristics: bool,
) -> bool {
    let Some(element) = node.value().as_element() else {
        return false;
    };
    let name = element.name();
    if ALWAYS_DROPPED.contains(&name) {
        return true;
    }
    if !heuristics || matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    let own = lengths.get(&node.id()).copied().unwrap_or_default();
    // Boilerplate is never most of the page: a minor block only.
    if own.text * 2 >= root_len.max(1) {
        return false;
    }
    if FURNITURE.contains(&name) {
        return true;
    }
    if element.attr("hidden").is_some()
        || element.attr("aria-hidden") == Some("true")
        || element.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s.contains("display:none") || s.contains("visibility:hidden")
        })
    {
        return true;
    }
    if element
        .attr("role")
        .is_some_and(|r| FURNITURE_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if element.attr("class").is_some_and(has_boilerplate_word)
        || element.attr("id").is_some_and(has_boilerplate_word)
    {
        return true;
    }
    // Link lists (menus, "related stories"): most of the text is link text.
    matches!(name, "ul" | "ol" | "div" | "section" | "table" | "p" | "dl")
        && own.text > 0
        && own.link * 10 > own.text * 6
}

/// Walks the content root and emits `(char, raw offset)` with collapsed whitespace.
fn emit(
    root: NodeRef,
    lengths: &HashMap<ego_tree::NodeId, Lengths>,
    root_len: usize,
    heuristics: bool,
    positions: &HashMap<ego_tree::NodeId, usize>,
    stream: &RawTextStream,
) -> Vec<(char, u32)> {
    let mut out: Vec<(char, u32)> = Vec::new();
    let mut pending_space = false;
    let mut pending_break = false;
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(element) => {
                        if node.id() != root.id()
                            && is_dropped(&node, root_len, lengths, heuristics)
                        {
                            skipping = Some(node.id());
                            pending_space = true;
                            continue;
                        }
                        let name = element.name();
                        if BLOCKS.contains(&name) {
                            pending_break = true;
                        } else if matches!(name, "td" | "th") {
                            pending_space = true;
                        }
                    }
                    Node::Text(text) => {
                        let base = positions.get(&node.id()).copied();
                        for (k, c) in text.char_indices() {
                            if c.is_whitespace() {
                                pending_space = true;
                                continue;
                            }
                            if !out.is_empty() {
                                if pending_break {
                                    out.push(('\n', UNKNOWN));
                                } else if pending_space {
                                    out.push((' ', UNKNOWN));
                                }
                            }
                            pending_break = false;
                            pending_space = false;
                            let raw = base
                                .and_then(|b| stream.offsets.get(b + k).copied())
                                .unwrap_or(UNKNOWN);
                            out.push((c, raw));
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                if skipping.is_some() {
                    continue;
                }
                if let Some(element) = node.value().as_element()
                    && BLOCKS.contains(&element.name())
                {
                    pending_break = true;
                }
            }
        }
    }
    out
}

/// Title, date, URL, outlet and language from the page's metadata.
fn metadata(page: &Html) -> CleanHtml {
    let mut meta_title = None;
    let mut meta_date = None;
    let mut canonical = None;
    let mut og_url = None;
    let mut site_name = None;
    let mut title_element = None;
    let mut h1 = None;
    let mut time_date = None;
    let mut language = None;
    let mut json_ld = JsonLd::default();
    for node in page.tree.root().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        match element.name() {
            "html" => {
                language = element.attr("lang").and_then(|lang| {
                    let primary = lang.split(['-', '_']).next()?.trim().to_ascii_lowercase();
                    (primary.len() >= 2 && primary.len() <= 3).then_some(primary)
                });
            }
            "meta" => {
                let key = element
                    .attr("property")
                    .or_else(|| element.attr("name"))
                    .or_else(|| element.attr("itemprop"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let Some(content) = element.attr("content").map(str::trim) else {
                    continue;
                };
                if content.is_empty() {
                    continue;
                }
                match key.as_str() {
                    "og:title" | "twitter:title" if meta_title.is_none() => {
                        meta_title = Some(content.to_string());
                    }
                    "og:url" if og_url.is_none() => og_url = Some(content.to_string()),
                    "og:site_name" if site_name.is_none() => {
                        site_name = Some(content.to_string());
                    }
                    "article:published_time"
                    | "og:article:published_time"
                    | "article.published"
                    | "datepublished"
                    | "publishdate"
                    | "publish-date"
                    | "pubdate"
                    | "date"
                    | "dc.date"
                    | "dc.date.issued"
                    | "dcterms.created"
                    | "sailthru.date"
                    | "parsely-pub-date"
                        if meta_date.is_none() =>
                    {
                        meta_date = parse_date(content);
                    }
                    _ => {}
                }
            }
            "link" => {
                let rel = element.attr("rel").unwrap_or("");
                if canonical.is_none()
                    && rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    canonical = element
                        .attr("href")
                        .map(str::trim)
                        .filter(|h| !h.is_empty())
                        .map(str::to_string);
                }
            }
            "title" if title_element.is_none() => {
                title_element = Some(collapse(&element_text(&node)));
            }
            "h1" if h1.is_none() => h1 = Some(collapse(&element_text(&node))),
            "time" if time_date.is_none() => {
                time_date = element.attr("datetime").and_then(parse_date);
            }
            "script" => {
                let is_json_ld = element
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if is_json_ld {
                    json_ld.read(&element_text(&node));
                }
            }
            _ => {}
        }
    }
    let source = site_name.or(json_ld.publisher);
    let title = meta_title
        .or(json_ld.headline)
        .or_else(|| {
            title_element
                .filter(|t| !t.is_empty())
                .map(|t| strip_site_name(&t, source.as_deref()))
        })
        .or(h1)
        .filter(|t| !t.is_empty());
    CleanHtml {
        title,
        published: meta_date.or(json_ld.published).or(time_date),
        url: canonical.or(og_url),
        source,
        language,
        ..CleanHtml::default()
    }
}

/// Removes a trailing ` | Site` / ` - Site` when it names the outlet.
fn strip_site_name(title: &str, site: Option<&str>) -> String {
    if let Some(site) = site {
        for separator in [" | ", " - ", " – ", " — "] {
            if let Some((head, tail)) = title.rsplit_once(separator)
                && tail.trim().eq_ignore_ascii_case(site.trim())
            {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

fn element_text(node: &NodeRef) -> String {
    let mut text = String::new();
    for descendant in node.descendants() {
        if let Node::Text(t) = descendant.value() {
            text.push_str(t);
        }
    }
    text
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What JSON-LD blocks say about the article.
#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<Date>,
    publisher: Option<String>,
}

impl JsonLd {
    fn read(&mut self, json: &str) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(json.trim()) else {
            return;
        };
        // Iterative walk: JSON-LD nests (`@graph`, `mainEntity`), serde_json caps depth at 128.
        let mut stack = vec![&value];
        while let Some(value) = stack.pop() {
            match value {
                serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
                serde_json::Value::Object(object) => {
                    let string = |key: &str| object.get(key).and_then(|v| v.as_str());
                    if self.published.is_none() {
                        self.published = string("datePublished").and_then(parse_date);
                    }
                    if self.headline.is_none() {
                        self.headline = string("headline").map(collapse);
                    }
                    if self.publisher.is_none() {
                        self.publisher = object
                            .get("publisher")
                            .and_then(|p| p.get("name").or_else(|| p.get(0)?.get("name")))
                            .and_then(|n| n.as_str())
                            .map(str::to_string);
                    }
                    stack.extend(object.values().filter(|v| v.is_object() || v.is_array()));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_decode() {
        assert_eq!(decode_entity("&amp; x"), (Some(('&', None)), 5));
        assert_eq!(decode_entity("&#8217;s"), (Some(('’', None)), 7));
        assert_eq!(decode_entity("&#x2019;"), (Some(('’', None)), 8));
        assert_eq!(decode_entity("&#150;"), (Some(('–', None)), 6));
        assert_eq!(decode_entity("&copy2021"), (Some(('©', None)), 5));
        assert_eq!(decode_entity("& x"), (None, 1));
        assert_eq!(decode_entity("&nosuch;"), (None, 1));
    }

    #[test]
    fn paragraphs_boilerplate_and_alignment() {
        let html = "<html lang=en-GB><head><title>Panjshir holds out | Example News</title>\
            <meta property=\"og:site_name\" content=\"Example News\">\
            <meta property=\"article:published_time\" content=\"2021-08-25T10:00:00Z\"></head>\
            <body><nav><a href=/>Home</a> <a href=/world>World</a></nav>\
            <div class=\"cookie-banner\">We use cookies.</div>\
            <article><p>The Taliban &amp; the NRF met in Charikar.</p>\
            <p>Massoud&#8217;s fighters held the valley.</p>\
            <div class=share-buttons>Share on Twitter</div></article>\
            <footer>© 2021</footer></body></html>";
        let clean = clean_html(html).unwrap();
        assert_eq!(
            clean.text,
            "The Taliban & the NRF met in Charikar.\nMassoud’s fighters held the valley."
        );
        assert_eq!(clean.title.as_deref(), Some("Panjshir holds out"));
        assert_eq!(clean.source.as_deref(), Some("Example News"));
        assert_eq!(clean.language.as_deref(), Some("en"));
        assert_eq!(clean.published, Some(jiff::civil::date(2021, 8, 25)));
        for word in ["Charikar", "fighters", "Taliban", "valley"] {
            let clean_at = clean.text.find(word).unwrap();
            let raw_at = clean.alignment.to_raw(clean_at);
            assert_eq!(&html[raw_at..raw_at + word.len()], word);
        }
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let html = "<div>".repeat(100_000) + "x";
        assert!(matches!(
            clean_html(&html),
            Err(IngestErrorKind::TooDeep { .. })
        ));
    }

    #[test]
    fn markup_only_has_no_text() {
        assert!(matches!(
            clean_html("<html><script>var x = 1;</script></html>"),
            Err(IngestErrorKind::NoText)
        ));
    }
}
