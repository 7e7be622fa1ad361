//! Property tests: no input makes tagging, lemmatizing or chunking panic.

mod common;

use dyad_document::PosTag;
use dyad_syntax::{
    DependencyTree, Lemmatizer, Parser, SyntaxStage, Tagger, analyze_sentence, chunk_tagged,
    parse_sentence,
};
use proptest::prelude::*;

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "the",
            "Taliban",
            "has",
            "not",
            "n't",
            "yet",
            "attacked",
            "was",
            "by",
            "al-Qaeda",
            "will",
            "to",
            "defend",
            "'s",
            "“",
            "”",
            ",",
            ".",
            "U.S.",
            "32-year-old",
            "and",
            "brutally",
            "never",
            "got",
            "been",
            "could",
            "up",
            "of",
            "-",
            "—",
            "$",
            "1,500",
        ])
        .prop_map(String::from),
        "\\PC{0,12}",
    ]
}

proptest! {
    #[test]
    fn tagging_and_chunking_never_panic(words in prop::collection::vec(word(), 0..40)) {
        let tagger = Tagger::embedded().unwrap();
        let tags = tagger.tag_words(&words);
        prop_assert_eq!(tags.len(), words.len());
        let lemmatizer = Lemmatizer::embedded().unwrap();
        for (w, &t) in words.iter().zip(&tags) {
            let _ = lemmatizer.lemmatize(w, t);
        }
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let chunks = chunk_tagged(&refs, &tags);
        let mut end = 0;
        for c in &chunks {
            prop_assert!(c.tokens.start >= end && c.tokens.start < c.tokens.end);
            prop_assert!(c.tokens.end <= words.len());
            prop_assert!(c.tokens.contains(&c.head));
            end = c.tokens.end;
        }
    }

    #[test]
    fn random_tags_never_panic(
        words in prop::collection::vec(word(), 0..30),
        tags in prop::collection::vec(prop::sample::select(PosTag::ALL.to_vec()), 0..30),
    ) {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        for c in chunk_tagged(&refs, &tags) {
            prop_assert!(c.tokens.end <= refs.len().min(tags.len()));
        }
    }

    #[test]
    fn any_text_through_the_stage(text in "\\PC{0,200}") {
        let mut doc = common::document(&text);
        SyntaxStage::new().unwrap().annotate(&mut doc);
        prop_assert!(doc.tokens.iter().all(|t| t.tag.is_some()));
        for s in 0..doc.sentences.len() + 2 {
            let a = analyze_sentence(&doc, s);
            for c in a.chunks {
                prop_assert!(c.tokens.end <= doc.tokens.len());
            }
        }
    }

    #[test]
    fn parsing_random_words_gives_a_tree(
        words in prop::collection::vec(word(), 0..60),
        tags in prop::collection::vec(prop::sample::select(PosTag::ALL.to_vec()), 0..60),
    ) {
        let parser = Parser::embedded().unwrap();
        let tag_strings: Vec<&str> = tags.iter().map(|t| t.as_str()).collect();
        let (heads, labels) = parser.parse_words(&words, &tag_strings);
        prop_assert_eq!(heads.len(), words.len());
        let tree = DependencyTree { tokens: 0..words.len(), heads, labels };
        prop_assert!(tree.is_well_formed());
        for i in 0..words.len() {
            let r = tree.subtree_range(i);
            prop_assert!(r.contains(&i) && r.end <= words.len());
            let _ = (tree.effective_subject_of(i), tree.conjuncts(i), tree.passive_agent_of(i));
        }
    }

    #[test]
    fn any_text_parses_to_well_formed_trees(text in "\\PC{0,200}") {
        let mut doc = common::document(&text);
        if text.len() % 2 == 0 {
            SyntaxStage::new().unwrap().annotate(&mut doc); // else the parser tags by itself
        }
        for s in 0..doc.sentences.len() + 2 {
            let tree = parse_sentence(&doc, s);
            prop_assert!(tree.is_well_formed());
            prop_assert!(tree.tokens.end <= doc.tokens.len());
        }
    }
}
