//! RSS 2.0, RSS 1.0 and Atom feeds: one document per `<item>` / `<entry>`; HTML content
//! (escaped, CDATA or inline XHTML) is cleaned by [`crate::clean_html`].

use crate::decode::{decode, encoding_for_label};
use crate::input::{Context, Item};
use crate::{Found, IngestErrorKind, clean_html, make_document, parse_date};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use std::borrow::Cow;

/// The fields of one item as they appear in the feed.
#[derive(Default)]
struct ItemFields {
    title: Option<String>,
    link: Option<String>,
    id: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    summary: Option<String>,
    content: Option<String>,
    source: Option<String>,
}

/// Reads every item of a feed. A malformed feed yields the items before the fault, then
/// one error naming the item and byte.
pub(crate) fn read_feed(bytes: &[u8], context: &Context) -> Vec<Item> {
    let text = match decode(bytes, xml_declared_encoding(bytes)) {
        Ok(text) => text,
        Err(kind) => return vec![Err(context.error(None, kind))],
    };
    let mut reader = Reader::from_str(&text);
    let mut results = Vec::new();
    let mut root_seen = false;
    let mut feed_title: Option<String> = None;
    let mut feed_language: Option<String> = None;
    let mut item: Option<ItemFields> = None;
    let mut item_number = 0usize;
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let position = format!("item {} (byte {at})", item_number.max(1));
                results.push(Err(
                    context.error(Some(position), IngestErrorKind::Xml(e.to_string()))
                ));
                break;
            }
        };
        match event {
            Event::Start(element) | Event::Empty(element) if !root_seen => {
                root_seen = true;
                let root = local_name(&element);
                if !matches!(root.as_str(), "rss" | "feed" | "rdf") {
                    return vec![Err(context.error(None, IngestErrorKind::NotAFeed { root }))];
                }
                feed_language = attribute(&element, "xml:lang")
                    .as_deref()
                    .and_then(primary_language);
            }
            Event::Start(element) => {
                let name = local_name(&element);
                if matches!(name.as_str(), "item" | "entry") {
                    item_number += 1;
                    item = Some(ItemFields::default());
                    continue;
                }
                let fields = item.as_mut();
                let inside_item = fields.is_some();
                // Only the direct children of the feed and items matter; read each whole.
                if !inside_item && !matches!(name.as_str(), "title" | "language") {
                    continue;
                }
                let href = link_href(&element);
                let qname = element.name().as_ref().to_string();
                let span = match reader.read_to_end(QName(&qname)) {
                    Ok(span) => span,
                    Err(e) => {
                        let position = format!("item {} (byte {at})", item_number.max(1));
                        results.push(Err(
                            context.error(Some(position), IngestErrorKind::Xml(e.to_string()))
                        ));
                        break;
                    }
                };
                let raw = text
                    .get(span.start as usize..span.end as usize)
                    .unwrap_or("");
                match fields {
                    None => match name.as_str() {
                        "title" if feed_title.is_none() => feed_title = non_empty(inner_text(raw)),
                        "language" if feed_language.is_none() => {
                            feed_language = primary_language(&inner_text(raw));
                        }
                        _ => {}
                    },
                    Some(fields) => assign(fields, &name, raw, href),
                }
            }
            Event::Empty(element) => {
                if let (Some(fields), "link") = (item.as_mut(), local_name(&element).as_str())
                    && fields.link.is_none()
                {
                    fields.link = link_href(&element);
                }
            }
            Event::End(element) => {
                let name = element.local_name().as_ref().to_ascii_lowercase();
                if matches!(name.as_str(), "item" | "entry")
                    && let Some(fields) = item.take()
                {
                    let position = format!("item {item_number}");
                    let feed = Found {
                        source: feed_title.clone(),
                        language: feed_language.clone(),
                        ..Found::default()
                    };
                    results.push(
                        item_document(fields, feed, context, &position)
                            .map_err(|kind| context.error(Some(position), kind)),
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen && results.is_empty() {
        return vec![Err(context.error(
            None,
            IngestErrorKind::NotAFeed {
                root: String::new(),
            },
        ))];
    }
    results
}

fn item_document(
    fields: ItemFields,
    feed: Found,
    context: &Context,
    position: &str,
) -> Result<dyad_document::Document, IngestErrorKind> {
    let html = fields
        .content
        .filter(|c| !c.trim().is_empty())
        .or(fields.summary)
        .ok_or(IngestErrorKind::NoText)?;
    let clean = clean_html(&html)?;
    let found = Found {
        external_id: fields.id,
        source: fields.source,
        url: fields.link,
        title: fields.title,
        published: fields
            .published
            .as_deref()
            .and_then(parse_date)
            .or_else(|| fields.updated.as_deref().and_then(parse_date)),
        language: None,
    }
    .or(feed);
    make_document(
        clean.text,
        clean.alignment,
        found,
        &context.name,
        Some(position.to_string()),
        &context.options,
    )
}

fn assign(fields: &mut ItemFields, name: &str, raw: &str, href: Option<String>) {
    let set = |slot: &mut Option<String>, value: Option<String>| {
        if slot.is_none() {
            *slot = value;
        }
    };
    match name {
        "title" => set(&mut fields.title, non_empty(inner_text(raw))),
        "link" => set(
            &mut fields.link,
            href.or_else(|| non_empty(inner_text(raw))),
        ),
        "guid" | "id" => set(&mut fields.id, non_empty(inner_text(raw))),
        "pubdate" | "published" | "date" | "issued" => {
            set(&mut fields.published, non_empty(inner_text(raw)));
        }
        "updated" | "modified" => set(&mut fields.updated, non_empty(inner_text(raw))),
        "description" | "summary" => set(&mut fields.summary, Some(inner_html(raw).into_owned())),
        "encoded" | "content" => set(&mut fields.content, Some(inner_html(raw).into_owned())),
        "source" => set(&mut fields.source, non_empty(inner_text(raw))),
        _ => {}
    }
}

fn local_name(element: &BytesStart) -> String {
    let name = element.local_name().as_ref().to_ascii_lowercase();
    if name == "rdf" || element.name().as_ref().eq_ignore_ascii_case("rdf:RDF") {
        return "rdf".to_string();
    }
    name
}

fn attribute(element: &BytesStart, key: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref().eq_ignore_ascii_case(key))
        .map(|a| {
            let raw = a.value.to_string();
            quick_xml::escape::unescape(&raw)
                .map(Cow::into_owned)
                .unwrap_or(raw)
        })
}

/// The `href` of an Atom `<link>` that points at the article (no `rel` or `rel=alternate`).
fn link_href(element: &BytesStart) -> Option<String> {
    if !element.local_name().as_ref().eq_ignore_ascii_case("link") {
        return None;
    }
    let rel = attribute(element, "rel");
    if rel
        .as_deref()
        .is_some_and(|r| !r.eq_ignore_ascii_case("alternate"))
    {
        return None;
    }
    attribute(element, "href").and_then(|h| non_empty(h.trim().to_string()))
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn primary_language(lang: &str) -> Option<String> {
    let primary = lang.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (2..=3).contains(&primary.len()).then_some(primary)
}

/// The HTML an element's raw content stands for: CDATA sections as they are, escaped text
/// unescaped, inline (XHTML) markup as it is.
fn inner_html(raw: &str) -> Cow<'_, str> {
    if !raw.contains("<![CDATA[") && !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while !rest.is_empty() {
        let (before, after) = match rest.find("<![CDATA[") {
            Some(at) => (&rest[..at], Some(&rest[at + 9..])),
            None => (rest, None),
        };
        if before.contains('<') {
            out.push_str(before);
        } else {
            match quick_xml::escape::unescape(before) {
                Ok(unescaped) => out.push_str(&unescaped),
                Err(_) => out.push_str(before),
            }
        }
        match after {
            Some(after) => {
                let end = after.find("]]>").unwrap_or(after.len());
                out.push_str(&after[..end]);
                rest = after.get(end + 3..).unwrap_or("");
            }
            None => rest = "",
        }
    }
    Cow::Owned(out)
}

/// The plain text of a short element (title, link, date): markup dropped, entities decoded,
/// whitespace collapsed.
fn inner_text(raw: &str) -> String {
    let html = inner_html(raw);
    let text: Cow<str> = if html.contains('<') || html.contains('&') {
        match clean_html(&html) {
            Ok(clean) => Cow::Owned(clean.text),
            Err(_) => html,
        }
    } else {
        html
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `encoding` of the XML declaration.
fn xml_declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(head, b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?;
    let at = declaration.find("encoding")?;
    let value = declaration[at + 8..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = value.chars().next()?;
    let value = value.get(1..)?;
    let end = value.find(quote)?;
    encoding_for_label(&value[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_html_forms() {
        assert_eq!(inner_html("&lt;p&gt;Kabul&lt;/p&gt;"), "<p>Kabul</p>");
        assert_eq!(
            inner_html("<![CDATA[<p>Kabul &amp; Panjshir</p>]]>"),
            "<p>Kabul &amp; Panjshir</p>"
        );
        assert_eq!(
            inner_html("<div><p>Kabul</p></div>"),
            "<div><p>Kabul</p></div>"
        );
        assert_eq!(
            inner_text(" Taliban &amp; NRF\n talks "),
            "Taliban & NRF talks"
        );
    }

    #[test]
    fn declared_encoding() {
        assert_eq!(
            xml_declared_encoding(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(xml_declared_encoding(b"<rss>"), None);
    }
}
