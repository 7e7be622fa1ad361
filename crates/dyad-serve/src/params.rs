//! Strict query-string parsing: unknown or repeated parameters and malformed values are a
//! 400 with a message naming the parameter, never a 500 and never silently ignored.

use crate::ApiError;
use dyad_store::EventQuery;
use std::collections::BTreeMap;

/// The event filters every list and aggregate route accepts (the fields of [`EventQuery`]).
pub const FILTERS: &[&str] = &[
    "actor",
    "source",
    "target",
    "cameo",
    "plover",
    "quad_class",
    "from",
    "to",
    "country",
    "bbox",
    "outlet",
    "negated",
    "modality",
    "text",
];

const MODALITIES: &[&str] = &[
    "asserted",
    "reported",
    "claimed",
    "future",
    "intended",
    "conditional",
];

/// Longest accepted free-text value (actor names, outlets, search text).
const MAX_TEXT: usize = 200;

/// The parameters of one request, checked against what the route accepts.
#[derive(Debug, Default)]
pub(crate) struct Params {
    values: BTreeMap<String, String>,
}

impl Params {
    /// Parses `raw` (the query string), accepting `FILTERS` (when `filters`) and `extra`.
    pub(crate) fn parse(
        raw: Option<&str>,
        filters: bool,
        extra: &[&str],
    ) -> Result<Params, ApiError> {
        let mut values = BTreeMap::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let key = key.into_owned();
            let known =
                extra.contains(&key.as_str()) || (filters && FILTERS.contains(&key.as_str()));
            if !known {
                let mut accepted: Vec<&str> = extra.to_vec();
                if filters {
                    accepted.extend_from_slice(FILTERS);
                }
                return Err(ApiError::bad_request(
                    "unknown_parameter",
                    format!(
                        "unknown query parameter `{}`; this route accepts: {}",
                        cut(&key),
                        if accepted.is_empty() {
                            "none".to_string()
                        } else {
                            accepted.join(", ")
                        }
                    ),
                ));
            }
            if values.insert(key.clone(), value.into_owned()).is_some() {
                return Err(ApiError::bad_request(
                    "bad_parameter",
                    format!("query parameter `{key}` is given more than once"),
                ));
            }
        }
        Ok(Params { values })
    }

    /// A non-empty trimmed value, at most [`MAX_TEXT`] characters.
    pub(crate) fn text(&self, key: &str) -> Result<Option<String>, ApiError> {
        let Some(v) = self.values.get(key) else {
            return Ok(None);
        };
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        if v.chars().count() > MAX_TEXT {
            return Err(bad(key, v, &format!("at most {MAX_TEXT} characters")));
        }
        Ok(Some(v.to_string()))
    }

    /// An integer in `min..=max`; `default` when absent.
    pub(crate) fn integer(
        &self,
        key: &str,
        min: i64,
        max: i64,
        default: Option<i64>,
    ) -> Result<Option<i64>, ApiError> {
        let Some(v) = self.text(key)? else {
            return Ok(default);
        };
        match v.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(bad(key, &v, &format!("a whole number from {min} to {max}"))),
        }
    }

    /// One of `choices`.
    pub(crate) fn choice(&self, key: &str, choices: &[&str]) -> Result<Option<String>, ApiError> {
        let Some(v) = self.text(key)? else {
            return Ok(None);
        };
        let lower = v.to_ascii_lowercase();
        if choices.contains(&lower.as_str()) {
            Ok(Some(lower))
        } else {
            Err(bad(key, &v, &format!("one of {}", choices.join(", "))))
        }
    }

    /// A calendar day `YYYY-MM-DD`.
    fn date(&self, key: &str) -> Result<Option<String>, ApiError> {
        let Some(v) = self.text(key)? else {
            return Ok(None);
        };
        match v.parse::<jiff::civil::Date>() {
            Ok(d) if v.len() == 10 => Ok(Some(d.to_string())),
            _ => Err(bad(key, &v, "a date as YYYY-MM-DD, e.g. 2021-08-25")),
        }
    }

    /// `true` / `false`.
    fn boolean(&self, key: &str) -> Result<Option<bool>, ApiError> {
        Ok(self
            .choice(key, &["true", "false", "1", "0"])?
            .map(|v| v == "true" || v == "1"))
    }

    /// The event filters as a store query (`limit` and `after_id` left unset).
    pub(crate) fn event_query(&self) -> Result<EventQuery, ApiError> {
        let cameo = self.text("cameo")?;
        if let Some(c) = &cameo
            && (c.len() > 4 || !c.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad(
                "cameo",
                c,
                "a CAMEO code or prefix of 1 to 4 digits (18, 186)",
            ));
        }
        let plover = self.text("plover")?;
        if let Some(p) = &plover
            && !p
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-')
        {
            return Err(bad("plover", p, "a PLOVER event type such as ASSAULT"));
        }
        let country = self.text("country")?;
        if let Some(c) = &country
            && (!(2..=3).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(bad("country", c, "an ISO 3166 country code such as AF"));
        }
        let from = self.date("from")?;
        let to = self.date("to")?;
        if let (Some(f), Some(t)) = (&from, &to)
            && f > t
        {
            return Err(ApiError::bad_request(
                "bad_parameter",
                format!("`from` ({f}) is after `to` ({t})"),
            ));
        }
        Ok(EventQuery {
            actor: self.text("actor")?,
            source: self.text("source")?,
            target: self.text("target")?,
            cameo,
            plover,
            quad_class: self.integer("quad_class", 1, 4, None)?.map(|q| q as u8),
            from,
            to,
            country,
            bbox: self.bbox()?,
            outlet: self.text("outlet")?,
            negated: self.boolean("negated")?,
            modality: self.choice("modality", MODALITIES)?,
            text: self.text("text")?,
            after_id: None,
            limit: None,
        })
    }

    fn bbox(&self) -> Result<Option<[f64; 4]>, ApiError> {
        let Some(v) = self.text("bbox")? else {
            return Ok(None);
        };
        let hint = "MIN_LON,MIN_LAT,MAX_LON,MAX_LAT in degrees with min <= max";
        let parts: Vec<f64> = v
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad("bbox", &v, hint))?;
        match parts.as_slice() {
            [a, b, c, d]
                if parts.iter().all(|x| x.is_finite())
                    && a <= c
                    && b <= d
                    && (-180.0..=180.0).contains(a)
                    && (-180.0..=180.0).contains(c)
                    && (-90.0..=90.0).contains(b)
                    && (-90.0..=90.0).contains(d) =>
            {
                Ok(Some([*a, *b, *c, *d]))
            }
            _ => Err(bad("bbox", &v, hint)),
        }
    }
}

fn cut(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut t: String = s.chars().take(40).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

fn bad(key: &str, value: &str, expected: &str) -> ApiError {
    ApiError::bad_request(
        "bad_parameter",
        format!(
            "query parameter `{key}` is {:?}; expected {expected}",
            cut(value)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_into_a_query() {
        let p = Params::parse(
            Some("actor=Taliban&cameo=19&from=2021-08-01&to=2021-09-01&quad_class=4&bbox=60,29,75,39&negated=false"),
            true,
            &["limit"],
        )
        .unwrap();
        let q = p.event_query().unwrap();
        assert_eq!(q.actor.as_deref(), Some("Taliban"));
        assert_eq!(q.quad_class, Some(4));
        assert_eq!(q.bbox, Some([60.0, 29.0, 75.0, 39.0]));
        assert_eq!(q.negated, Some(false));
    }

    #[test]
    fn bad_values_say_what_is_expected() {
        for (query, needle) in [
            ("from=2021-13-01", "YYYY-MM-DD"),
            ("from=yesterday", "YYYY-MM-DD"),
            ("quad_class=5", "from 1 to 4"),
            ("cameo=1%27%3B--", "CAMEO"),
            ("bbox=1,2,3", "MIN_LON"),
            ("bbox=NaN,0,1,1", "MIN_LON"),
            ("from=2021-09-01&to=2021-08-01", "after"),
            ("modality=maybe", "one of"),
        ] {
            let p = Params::parse(Some(query), true, &[]).unwrap();
            let e = p.event_query().unwrap_err();
            assert_eq!(e.status, 400, "{query}");
            assert!(e.message.contains(needle), "{query}: {}", e.message);
        }
        let e = Params::parse(Some("colour=red"), true, &["limit"]).unwrap_err();
        assert_eq!(e.code, "unknown_parameter");
        let e = Params::parse(Some("limit=1&limit=2"), false, &["limit"]).unwrap_err();
        assert!(e.message.contains("more than once"));
        let p = Params::parse(Some("limit=-5"), false, &["limit"]).unwrap();
        assert_eq!(p.integer("limit", 1, 1000, None).unwrap_err().status, 400);
    }
}
