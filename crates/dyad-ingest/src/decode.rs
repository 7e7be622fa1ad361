//! Bytes → text: BOM, declared charset (HTTP header, HTML `<meta>`), UTF-8, and the
//! Windows-1252 fallback (which also covers Latin-1, as browsers do).

use crate::IngestErrorKind;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How many leading bytes the binary check and the `<meta charset>` prescan look at.
const SAMPLE: usize = 4096;

/// Fails when the first bytes hold many control bytes (NUL, ESC ...): binary data.
pub(crate) fn check_not_binary(bytes: &[u8]) -> Result<(), IngestErrorKind> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || b == 0x7f)
        .count();
    // Real text has next to none; random bytes have about 11 %.
    if control * 50 > sample.len().max(1) || (sample.len() < 50 && control > 2) {
        return Err(IngestErrorKind::Binary {
            control,
            sampled: sample.len(),
        });
    }
    Ok(())
}

/// The encoding named by a charset label (`utf-8`, `iso-8859-1`, `windows-1252` ...).
pub(crate) fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes())?;
    // UTF-16 declared inside an ASCII-compatible document is a lie (the HTML standard).
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    Some(encoding)
}

/// The `charset=` parameter of a `Content-Type` value.
pub(crate) fn charset_of_content_type(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let value = &content_type[at + 8..];
    let end = value.find([';', ' ', ',']).unwrap_or(value.len());
    encoding_for_label(&value[..end])
}

/// The charset an HTML document declares in its first bytes (`<meta charset>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">`).
pub(crate) fn html_meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SAMPLE)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let rest = rest
                    .strip_prefix(b"\"")
                    .or(rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || b"-_:.".contains(b)))
                    .unwrap_or(rest.len());
                if let Some(encoding) = std::str::from_utf8(&rest[..len])
                    .ok()
                    .and_then(encoding_for_label)
                {
                    return Some(encoding);
                }
            }
        }
        from = end.max(start + 5);
    }
    None
}

/// Decodes `bytes`: a BOM wins, then the declared encoding, then UTF-8 when the bytes are
/// valid UTF-8, else Windows-1252. Text that decodes to mostly replacement characters fails.
pub(crate) fn decode(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<String, IngestErrorKind> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(
            encoding
                .decode_without_bom_handling(&bytes[bom_len..])
                .0
                .into_owned(),
        );
    }
    check_not_binary(bytes)?;
    match declared {
        // A page that says UTF-8 but is not is usually Windows-1252 (copy-pasted CMS text).
        Some(encoding) if encoding == UTF_8 => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_string()),
            Err(_) => finish(fallback(bytes)),
        },
        Some(encoding) => finish(encoding.decode_without_bom_handling(bytes).0.into_owned()),
        None => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_string()),
            Err(_) => finish(fallback(bytes)),
        },
    }
}

/// Invalid UTF-8: mostly-valid UTF-8 with a few bad bytes keeps its UTF-8 (bad bytes become
/// U+FFFD); otherwise the bytes are read as Windows-1252.
fn fallback(bytes: &[u8]) -> String {
    let (lossy, _) = UTF_8.decode_without_bom_handling(bytes);
    let replaced = lossy.chars().filter(|&c| c == '\u{fffd}').count();
    let multibyte = lossy
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{fffd}')
        .count();
    if multibyte > replaced * 4 {
        lossy.into_owned()
    } else {
        WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()
    }
}

fn finish(text: String) -> Result<String, IngestErrorKind> {
    let replaced = text.chars().filter(|&c| c == '\u{fffd}').count();
    if replaced > 16 && replaced * 10 > text.chars().count() {
        return Err(IngestErrorKind::Decode(format!(
            "{replaced} characters could not be decoded; give the right charset in the file or convert it to UTF-8"
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_cp1252_and_bom() {
        assert_eq!(decode("Panjshir’s".as_bytes(), None).unwrap(), "Panjshir’s");
        assert_eq!(
            decode(b"Panjshir\x92s caf\xe9", None).unwrap(),
            "Panjshir’s café"
        );
        assert_eq!(decode(b"\xef\xbb\xbfKabul", None).unwrap(), "Kabul");
        let latin1 = encoding_for_label("ISO-8859-1");
        assert_eq!(decode(b"caf\xe9", latin1).unwrap(), "café");
    }

    #[test]
    fn meta_charset() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">";
        assert_eq!(html_meta_charset(page), Some(WINDOWS_1252));
        assert_eq!(html_meta_charset(b"<meta charset='utf-8'>"), Some(UTF_8));
        assert_eq!(html_meta_charset(b"<meta name=x>"), None);
        assert_eq!(
            charset_of_content_type("text/html; charset=ISO-8859-1"),
            Some(WINDOWS_1252)
        );
    }

    #[test]
    fn binary_is_refused() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 256) as u8).collect();
        assert!(matches!(
            decode(&bytes, None),
            Err(IngestErrorKind::Binary { .. })
        ));
    }
}
