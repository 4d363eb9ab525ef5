//! Readability estimates for English text, used to check that every item,
//! intro and help text stays at reading grade 8 or below (docs/DOMAIN.md,
//! "Writing items").
//!
//! Both functions are estimates: English spelling does not map cleanly onto
//! sound, so the syllable count follows the usual heuristics (vowel groups,
//! silent endings) and will be off by one for some words. That is accurate
//! enough for a grade-level check, which is itself an average.

/// Letters treated as vowels when counting syllables (`y` included).
fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Whether a character belongs to a word: a letter or an apostrophe.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '\'' || c == '\u{2019}'
}

/// Estimates how many syllables an English word has.
///
/// The estimate counts groups of vowels (`a e i o u y`), then corrects for
/// common silent endings:
///
/// - a final `e` after a consonant is silent ("like"), except in "-le" after
///   a consonant ("table");
/// - "-ed" and "-es" after a consonant add no syllable ("liked", "makes"),
///   except "-ed" after `t`/`d` ("decided"), "-led" after a consonant other
///   than `l` ("settled"), "-es" after a hissing sound `s x z c g ch sh`
///   ("places") and "-les" after a consonant ("tables");
/// - a silent `e` before "-ly", "-ful", "-less" or "-ness" ("lonely",
///   "careful") does not count;
/// - "-ing" right after a vowel adds a syllable ("being", "going").
///
/// Anything that is not a letter (apostrophes, digits, punctuation) is
/// ignored. A word with at least one letter has at least one syllable; one
/// without letters has none.
#[must_use]
pub fn syllables(word: &str) -> usize {
    let letters: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.is_empty() {
        return 0;
    }
    let n = letters.len();
    let mut count = 0usize;
    let mut in_group = false;
    for &c in &letters {
        let vowel = is_vowel(c);
        if vowel && !in_group {
            count += 1;
        }
        in_group = vowel;
    }

    // `at(i)` reads the letter `i` places from the end (0 = last letter).
    let at = |from_end: usize| -> Option<char> {
        n.checked_sub(from_end + 1)
            .and_then(|index| letters.get(index).copied())
    };
    let consonant = |from_end: usize| at(from_end).is_some_and(|c| !is_vowel(c));
    let ends_with = |suffix: &str| {
        let suffix: Vec<char> = suffix.chars().collect();
        n >= suffix.len() && letters[n - suffix.len()..] == suffix[..]
    };

    if ends_with("e") && consonant(1) {
        // Silent final e, except "-le" after a consonant: "table", "little".
        let syllabic_le = at(1) == Some('l') && consonant(2);
        if !syllabic_le {
            count = count.saturating_sub(1);
        }
    } else if ends_with("ed") && consonant(2) {
        // "-ed" is its own syllable only after t or d ("wanted", "needed"),
        // or in "-led" after a consonant other than l ("settled", but not
        // "called").
        let syllabic_ed = matches!(at(2), Some('t' | 'd'))
            || (at(2) == Some('l') && consonant(3) && at(3) != Some('l'));
        if !syllabic_ed {
            count = count.saturating_sub(1);
        }
    } else if ends_with("es") && consonant(2) {
        // "-es" is its own syllable after a hissing sound: "places",
        // "changes", "wishes", or in "-les" after a consonant: "tables".
        let hissing = matches!(at(2), Some('s' | 'x' | 'z' | 'c' | 'g'))
            || (at(2) == Some('h') && matches!(at(3), Some('c' | 's')));
        let syllabic_les = at(2) == Some('l') && consonant(3);
        if !hissing && !syllabic_les {
            count = count.saturating_sub(1);
        }
    } else {
        // A silent e before a suffix: "lonely", "careful", "useless".
        for suffix in ["ly", "ful", "less", "ness"] {
            let len = suffix.chars().count();
            if ends_with(suffix) && at(len) == Some('e') && consonant(len + 1) && n > len + 2 {
                let before_vowel = letters[..n - len - 2].iter().any(|&c| is_vowel(c));
                if before_vowel {
                    count = count.saturating_sub(1);
                }
                break;
            }
        }
    }

    // "-ing" after a vowel is a syllable of its own, but the vowel-group
    // count merged it with the vowel before: "being", "going", "saying".
    if ends_with("ing") && n > 3 && at(3).is_some_and(is_vowel) {
        count += 1;
    }

    count.max(1)
}

/// Splits text into words: runs of letters and apostrophes that hold at least
/// one letter.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|word| word.chars().any(char::is_alphabetic))
}

/// Counts sentences: each run of terminal punctuation (`.`, `!`, `?`) ends
/// one, and words after the last such run form one more. A full stop between
/// two digits (a decimal point, as in "2.5") ends nothing. At least 1.
fn sentences(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0usize;
    let mut words_since_end = false;
    let mut in_terminal = false;
    for (i, &c) in chars.iter().enumerate() {
        let decimal_point = c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if matches!(c, '.' | '!' | '?') && !decimal_point {
            if !in_terminal {
                count += 1;
            }
            in_terminal = true;
            words_since_end = false;
        } else {
            in_terminal = false;
            if c.is_alphabetic() {
                words_since_end = true;
            }
        }
    }
    if words_since_end {
        count += 1;
    }
    count.max(1)
}

/// Flesch–Kincaid grade level of a text: the US school grade whose readers
/// can usually follow it.
///
/// `0.39 · (words / sentences) + 11.8 · (syllables / words) − 15.59`,
/// from J. P. Kincaid, R. P. Fishburne, R. L. Rogers and B. S. Chissom (1975),
/// *Derivation of new readability formulas (Automated Readability Index, Fog
/// Count and Flesch Reading Ease Formula) for Navy enlisted personnel*,
/// Research Branch Report 8-75, Naval Technical Training Command.
///
/// Words are runs of letters and apostrophes (so "self-care" is two words and
/// numbers are not words); syllables come from [`syllables`]; sentences are
/// groups of `.`, `!` or `?`, at least one. The value is not clamped: very
/// plain text can score below zero. Text without words scores `0.0`.
#[must_use]
pub fn flesch_kincaid_grade(text: &str) -> f64 {
    let (word_count, syllable_count) = words(text).fold((0usize, 0usize), |(w, s), word| {
        (w + 1, s + syllables(word))
    });
    if word_count == 0 {
        return 0.0;
    }
    let words = word_count as f64;
    let sentences = sentences(text) as f64;
    let syllables = syllable_count as f64;
    0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn counts_syllables_of_known_words() {
        let cases = [
            ("cat", 1),
            ("table", 2),
            ("relationship", 4),
            ("decided", 3),
            ("liked", 1),
            ("wanted", 2),
            ("settled", 2),
            ("called", 1),
            ("makes", 1),
            ("places", 2),
            ("tables", 2),
            ("while", 1),
            ("people", 2),
            ("agree", 2),
            ("free", 1),
            ("played", 1),
            ("worries", 2),
            ("lonely", 2),
            ("careful", 2),
            ("being", 2),
            ("going", 2),
            ("feelings", 2),
            ("my", 1),
            ("I", 1),
            ("don't", 1),
            ("Partner", 2),
            ("everyone", 3),
            ("important", 3),
        ];
        for (word, expected) in cases {
            assert_eq!(syllables(word), expected, "syllables({word:?})");
        }
    }

    #[test]
    fn a_word_without_letters_has_no_syllables() {
        assert_eq!(syllables(""), 0);
        assert_eq!(syllables("112"), 0);
        assert_eq!(syllables("'"), 0);
    }

    #[test]
    fn a_word_with_letters_has_at_least_one_syllable() {
        assert_eq!(syllables("hmm"), 1);
        assert_eq!(syllables("the"), 1);
    }

    #[test]
    fn grades_a_simple_sentence() {
        // 4 words, 1 sentence, 4 syllables:
        // 0.39 * 4 + 11.8 * 1 - 15.59 = -2.23
        assert!(close(flesch_kincaid_grade("The cat sat down."), -2.23));
    }

    #[test]
    fn grades_two_sentences() {
        // "I like my partner. We talk." 6 words, 2 sentences, 7 syllables:
        // 0.39 * 3 + 11.8 * 7/6 - 15.59
        let expected = 0.39 * 3.0 + 11.8 * 7.0 / 6.0 - 15.59;
        assert!(close(
            flesch_kincaid_grade("I like my partner. We talk."),
            expected
        ));
    }

    #[test]
    fn long_words_raise_the_grade() {
        let plain = flesch_kincaid_grade("I can say no to my partner.");
        let dense = flesch_kincaid_grade(
            "Communicating individual expectations necessitates considerable deliberation.",
        );
        assert!(plain < 2.0, "{plain}");
        assert!(dense > 12.0, "{dense}");
    }

    #[test]
    fn repeated_marks_end_one_sentence() {
        assert!(close(
            flesch_kincaid_grade("Stop... Go now?!"),
            flesch_kincaid_grade("Stop. Go now.")
        ));
    }

    #[test]
    fn trailing_words_without_a_mark_form_a_sentence() {
        assert_eq!(sentences("One here. Two here"), 2);
        assert_eq!(sentences("No mark at all"), 1);
        assert_eq!(sentences("It is 2.5 out of 5."), 1);
    }

    #[test]
    fn hyphens_split_words_and_numbers_are_not_words() {
        assert_eq!(words("self-care 112 it's").count(), 3);
    }

    #[test]
    fn text_without_words_scores_zero() {
        assert!(close(flesch_kincaid_grade(""), 0.0));
        assert!(close(flesch_kincaid_grade("... 112 !"), 0.0));
    }
}
