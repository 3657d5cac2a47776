//! Words: how text becomes index terms, and how much a term weighs in a section.
//!
//! `themes/default/static/search.js` splits queries the same way (lower case, runs of letters and
//! digits, the same stop words, at least two characters); a change here must be made there too.

use std::borrow::Cow;

/// Words too common to help find anything; queries drop them too.
pub const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "if", "in",
    "into", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the", "their", "then",
    "there", "these", "this", "to", "was", "were", "which", "with",
];

/// Longer runs are not words (hashes, base64) and only bloat the index.
const MAX_WORD: usize = 32;

/// The terms of prose, in order: lower-cased runs of letters and digits, two characters or more,
/// stop words left out. Words already in lower case are borrowed, not copied: indexing ten
/// thousand pages splits millions of words.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some() && w.len() <= MAX_WORD)
        .map(|w| match w.chars().any(char::is_uppercase) {
            true => Cow::Owned(w.to_lowercase()),
            false => Cow::Borrowed(w),
        })
        .filter(|w| !STOP_WORDS.contains(&w.as_ref()))
}

/// The terms of code: each identifier, whole (`useadmininterface`) and in the parts a reader
/// would type (`use`, `admin`, `interface`, from camelCase and snake_case). Numbers and string
/// contents that are not identifiers are left out.
pub fn identifiers(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for ident in code.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if ident.len() > MAX_WORD || !ident.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            continue;
        }
        let parts = ident_parts(ident);
        let whole: String = parts.concat();
        if parts.len() > 1 && whole.chars().nth(1).is_some() {
            out.push(whole);
        }
        out.extend(
            parts
                .iter()
                .flat_map(|p| words(p).map(Cow::into_owned).collect::<Vec<_>>()),
        );
    }
    out
}

/// `getHTTPServer_v2` -> `get`, `http`, `server`, `v2` (lower-cased).
fn ident_parts(ident: &str) -> Vec<String> {
    let chars: Vec<char> = ident.chars().collect();
    let mut parts = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            parts.push(std::mem::take(&mut current));
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_numeric()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary {
            parts.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    parts.push(current);
    parts.retain(|p| !p.is_empty());
    parts
}

/// Where a term was seen in a section, counted.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seen {
    pub title: bool,
    pub heading: bool,
    pub text: u32,
    pub code: u32,
}

/// How much a term weighs in a section, 1 to 255: the page title and the heading count most,
/// prose more than code, and repetition with diminishing returns (the fifth mention adds little).
/// `opening` says whether this is the page's opening section, where the title belongs; the
/// title still lends every other section some weight, so "django csrf" finds a section of the
/// Django article that never repeats "Django".
pub fn weight(seen: Seen, opening: bool, title_terms: usize) -> u8 {
    const TEXT: [u32; 6] = [0, 8, 12, 15, 17, 18];
    const CODE: [u32; 4] = [0, 3, 5, 6];
    // A word is worth more in a short title: the page titled "Dependency injection" is the
    // answer to that query before "Dependency injection in FastAPI" is. One-word titles count
    // as two, so that a framework's own page does not outweigh "Django vs FastAPI" for a query
    // of both names.
    let coverage = 120 / title_terms.max(2) as u32;
    let title = match (seen.title, opening) {
        (false, _) => 0,
        (true, true) => 60 + coverage,
        (true, false) => 12,
    };
    let heading = if seen.heading { 40 } else { 0 };
    let text = TEXT[seen.text.min(5) as usize];
    let code = CODE[seen.code.min(3) as usize];
    (title + heading + text + code).clamp(1, 255) as u8
}

/// Every term of a section with its weight (see [`weight`]), sorted by term.
pub fn weigh(
    title: &str,
    heading: &str,
    text: &str,
    code: &str,
    opening: bool,
) -> Vec<(String, u8)> {
    // Terms are the handbook's own words, never an attacker's: the fast hash is safe here.
    let mut seen: rustc_hash::FxHashMap<Cow<str>, Seen> = Default::default();
    let mut title_terms = 0;
    for w in words(title) {
        let entry = seen.entry(w).or_default();
        title_terms += usize::from(!entry.title);
        entry.title = true;
    }
    for w in words(heading) {
        seen.entry(w).or_default().heading = true;
    }
    for w in words(text) {
        seen.entry(w).or_default().text += 1;
    }
    for w in identifiers(code) {
        seen.entry(Cow::Owned(w)).or_default().code += 1;
    }
    let mut terms: Vec<(String, u8)> = seen
        .into_iter()
        .map(|(term, seen)| (term.into_owned(), weight(seen, opening, title_terms)))
        .collect();
    terms.sort_unstable();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_without_stop_words_or_single_letters() {
        let w: Vec<Cow<str>> = words("The Router of Django's app: a résumé, v2 and 10x").collect();
        assert_eq!(w, ["router", "django", "app", "résumé", "v2", "10x"]);
    }

    #[test]
    fn identifiers_are_split_at_case_and_underscores() {
        let ids = identifiers("app.UseAdminInterface(); let http_server = getHTTPServer(42);");
        for expected in [
            "app",
            "useadmininterface",
            "use",
            "admin",
            "interface",
            "http",
            "server",
            "gethttpserver",
            "get",
            "let",
        ] {
            assert!(ids.iter().any(|i| i == expected), "{expected} in {ids:?}");
        }
        assert!(
            !ids.iter().any(|i| i == "42"),
            "numbers are not identifiers"
        );
        assert!(!ids.iter().any(|i| i.contains('_')), "{ids:?}");
    }

    #[test]
    fn title_and_heading_outweigh_prose_and_prose_outweighs_code() {
        let title = Seen {
            title: true,
            ..Seen::default()
        };
        let heading = Seen {
            heading: true,
            ..Seen::default()
        };
        let prose = Seen {
            text: 1,
            ..Seen::default()
        };
        let code = Seen {
            code: 1,
            ..Seen::default()
        };
        let w = |seen: Seen, opening: bool| weight(seen, opening, 3);
        assert!(w(title, true) > w(heading, true));
        assert!(w(heading, true) > w(title, false));
        assert!(w(title, false) > w(prose, true));
        assert!(w(prose, true) > w(code, true));
        // The same word in a two-word title outweighs it in a three-word title with the most
        // prose a section can add.
        let title_with_prose = Seen { text: 50, ..title };
        assert!(weight(title, true, 2) > weight(title_with_prose, true, 3));
        let many = Seen {
            text: 50,
            ..Seen::default()
        };
        assert!(
            u32::from(w(many, true)) < 3 * u32::from(w(prose, true)),
            "fifty mentions weigh less than three single ones"
        );
    }
}
