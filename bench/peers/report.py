#!/usr/bin/env python3
"""Reads the logs that bench/peers/run.sh leaves in its work directory and prints the
side-by-side tables as Markdown. Python standard library only.

usage: report.py --work DIR --corpus FILE --limit N
"""
import argparse
import collections
import json
import os
import re
import sys

# spaCy labels that dyad also produces (dyad's MEDIA has no spaCy counterpart).
SHARED_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
# dyad stages that do what PETRARCH2 needs done: analysis (text, syntax), KB matching (entities
# carry KB actor codes) and coding (events). Quotes, dates and places are extras PETRARCH2 lacks.
CODING_STAGES = ("text", "syntax", "entities", "events")
NER_STAGES = ("text", "syntax", "entities")


def read(work, name, ext):
    path = os.path.join(work, "%s.%s" % (name, ext))
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def process(work, name):
    """(ran, ok, wall seconds, peak MiB, CPU time / wall time) of one measured process.

    CPU/wall near 1.0 means the pinned process had its core to itself; lower means other
    processes on the same core took a share, and every figure of that process reads low."""
    rc, timing = read(work, name, "rc"), read(work, name, "time")
    if rc is None:
        return False, False, None, None, None
    wall = peak = busy = None
    if timing and timing.strip():
        fields = timing.strip().splitlines()[-1].split()
        try:
            wall, peak = float(fields[0]), int(fields[1]) / 1024.0 or None
            busy = (float(fields[2]) + float(fields[3])) / wall if wall else None
        except (IndexError, ValueError):
            pass
    return True, rc.strip() == "0", wall, peak, busy


def fmt_int(n):
    return "{:,}".format(int(round(n)))


def fmt_rate(count, seconds):
    if not seconds:
        return "—"
    rate = count / seconds
    return fmt_int(rate) if rate >= 10 else "%.1f" % rate


def fmt_mib(mib):
    return "%.0f" % mib if mib else "—"


def fmt_busy(busy):
    return "%.2f" % busy if busy else "—"


class Table:
    def __init__(self):
        self.rows = []

    def add(self, system, timed, articles, sentences, seconds, output, peak=None, busy=None):
        # On a shared machine the wall time of a pinned process includes the time other processes
        # ran on its core; seconds x CPU/wall estimates the time it really ran.
        cpu_seconds = seconds * busy if busy else None
        self.rows.append([system, timed, fmt_int(articles), fmt_int(sentences), "%.3f" % seconds,
                          fmt_rate(sentences, seconds), fmt_busy(busy), fmt_rate(sentences, cpu_seconds),
                          fmt_rate(articles, cpu_seconds), output, fmt_mib(peak)])

    def note(self, system, timed, why):
        self.rows.append([system, timed, "", "", "", "", "", "", "", why, ""])

    def markdown(self):
        head = ["system", "what is timed", "articles", "sentences", "seconds (wall)",
                "sentences/s per core (wall)", "CPU/wall", "sentences/s per core (CPU)",
                "articles/s per core (CPU)", "produced", "peak MiB"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def dyad_stages(text):
    """(articles, sentences, setup seconds, {stage: seconds}) from `dyad bench stages`."""
    m = re.search(r"(\d+) articles, (\d+) sentences; pipeline built in ([\d.]+) s", text)
    if not m:
        return None
    stages = collections.OrderedDict()
    for name, secs in re.findall(r"^\s+(\S+)\s+([\d.]+) s\s+[\d.]+%", text, re.M):
        stages[name] = float(secs)
    return int(m.group(1)), int(m.group(2)), float(m.group(3)), stages


def dyad_output(path):
    """Counts over the JSON Lines that `dyad code` wrote."""
    c = collections.Counter()
    labels = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            c["articles"] += 1
            c["sentences"] += len(doc.get("sentences") or [])
            for e in doc.get("entities") or []:
                labels[e.get("label")] += 1
            for ev in doc.get("events") or []:
                c["events"] += 1
                if ev.get("negated"):
                    c["negated"] += 1
                elif ev.get("source") and ev.get("target"):
                    c["dyadic"] += 1
    return c, labels


def spacy_summary(text):
    for line in (text or "").splitlines():
        if line.startswith("SUMMARY "):
            return json.loads(line[len("SUMMARY "):])
    return None


def spacy_entities(summary):
    by_label = summary.get("entities_by_label") or {}
    shared = sum(by_label.get(label, 0) for label in SHARED_LABELS)
    return "%s entities (%s in %s)" % (fmt_int(summary["entities"]), fmt_int(shared), "/".join(SHARED_LABELS))


def speed_table(work, limit):
    t = Table()
    notes = []
    ran, ok, _, _, busy = process(work, "dyad_stages")
    parsed = dyad_stages(read(work, "dyad_stages", "out") or "") if ok else None
    if parsed:
        articles, sentences, setup, stages = parsed
        for name, secs in stages.items():
            t.add("dyad", "stage `%s`" % name, articles, sentences, secs, "", busy=busy)
        for label, names, what in (("text + syntax + entities", NER_STAGES, "entities (NER + KB actor codes)"),
                                   ("text + syntax + entities + events", CODING_STAGES,
                                    "analysis + KB matching + coding"),
                                   ("all stages", tuple(stages), "whole pipeline")):
            secs = sum(stages.get(n, 0.0) for n in names)
            t.add("dyad", "**%s** (%s)" % (what, label), articles, sentences, secs, "", busy=busy)
        notes.append("dyad pipeline built in %.2f s (knowledge base, models, gazetteer; not in the stage times)" % setup)
    else:
        t.note("dyad", "`dyad bench stages`", "failed: see dyad_stages.err" if ran else "not run")

    ran, ok, wall, peak, busy = process(work, "dyad_code")
    out = os.path.join(work, "dyad_code.jsonl")
    if ok and os.path.exists(out) and wall:
        c, labels = dyad_output(out)
        shared = sum(labels.get(label, 0) for label in SHARED_LABELS)
        t.add("dyad", "**`dyad code --threads 1` end to end** (process wall time: start-up, read, all stages, JSON out)",
              c["articles"], c["sentences"], wall,
              "%s events (%s asserted with source and target, %s negated); %s entities (%s in %s)"
              % (fmt_int(c["events"]), fmt_int(c["dyadic"]), fmt_int(c["negated"]),
                 fmt_int(sum(labels.values())), fmt_int(shared), "/".join(SHARED_LABELS)), peak, busy)
    else:
        t.note("dyad", "`dyad code` end to end", "failed: see dyad_code.err" if ran else "not run")

    for name, timed in (("spacy_ner", "**NER only** (tok2vec, tagger, senter, lemmatizer, ner; no parser)"),
                        ("spacy_full", "**full pipeline** (+ dependency parser)")):
        ran, ok, wall, peak, busy = process(work, name)
        s = spacy_summary(read(work, name, "out")) if ok else None
        if s:
            t.add("spaCy-sm", timed, s["docs"], s["sentences"], s["run_s"], spacy_entities(s), peak, busy)
            notes.append("spaCy %s: model load %.2f s, process wall %.2f s (not in the seconds column)"
                         % (name.split("_")[1], s["load_s"], wall or 0))
        else:
            t.note("spaCy-sm", timed, ("failed: see %s.err" % name) if ran else "not installed (../shared/peers/install.sh)")

    ran_s, ok_s, _, _, busy_s = process(work, "spacy_petr")
    ran_p, ok_p, wall_p, peak_p, busy_p = process(work, "petrarch2")
    sp = spacy_summary(read(work, "spacy_petr", "out")) if ok_s else None
    p2 = read(work, "petrarch2", "out") if ok_p else None
    m = re.search(r"(\d+) sentences -> (\d+) events", p2 or "")
    c = re.search(r"coding ([\d.]+) s", p2 or "")
    if sp and m and c:
        p2_sents, p2_events, coding = int(m.group(1)), int(m.group(2)), float(c.group(1))
        t.add("PETRARCH2", "**coding only** (PETRARCH2's own coding time; dictionary load excluded)",
              sp["docs"], p2_sents, coding, "%s events" % fmt_int(p2_events), peak_p, busy_p)
        total = sp["run_s"] + coding
        busy = (sp["run_s"] * busy_s + coding * busy_p) / total if busy_s and busy_p and total else None
        t.add("spaCy-sm + PETRARCH2", "**parse + code** (spaCy parse and tree conversion + PETRARCH2 coding)",
              sp["docs"], sp["sentences"], total, "%s events" % fmt_int(p2_events), busy=busy)
        notes.append("PETRARCH2 gets %s of spaCy's %s sentences (those with a verb and more than 3 tokens); "
                     "its process wall time %.2f s includes %.2f s of dictionary load"
                     % (fmt_int(p2_sents), fmt_int(sp["sentences"]), wall_p or 0, (wall_p or 0) - coding))
    else:
        why = "not installed (../shared/peers/install.sh)"
        if ran_s and not ok_s:
            why = "spaCy parse for PETRARCH2 failed: see spacy_petr.err"
        elif ran_p and not ok_p:
            why = "failed: see petrarch2.err and petrarch2/"
        t.note("PETRARCH2", "coding on spaCy-derived parses", why)
    return t, notes


def quality(work):
    """Existing evaluation figures, parsed from `dyad eval` output."""
    rows = []
    news = read(work, "eval_news", "out") or ""
    m = re.search(r"root \+ actors\s+P ([\d.]+)\s+R ([\d.]+)\s+F1 ([\d.]+)", news)
    if m:
        rows.append(["events, news_dev (150 hand-coded sentences), root + actors", "`dyad eval events`",
                     "P %s R %s F1 %s" % m.groups(), "F1 0.04 ¹"])
    plover = read(work, "eval_plover", "out") or ""
    r = re.search(r"recall \(type \+ actors\).*?R ([\d.]+)", plover)
    p = re.search(r"precision \(type\)\s+P ([\d.]+)", plover)
    if r and p:
        rows.append(["events, PLOVER GSR dev (164 records), recall (type + actors) / precision (type)",
                     "`dyad eval events`", "%s / %s" % (r.group(1), p.group(1)), "0.19 / 0.56 ¹"])
    unit = read(work, "eval_unit", "out") or ""
    u = re.search(r"exact records: (\d+)/(\d+) = ([\d.]+)", unit)
    if u:
        rows.append(["events, PETRARCH2's own unit-test records, exact", "`dyad eval events`",
                     "%s/%s = %s" % u.groups(), "(its own tests)"])
    ents = read(work, "eval_entities", "out") or ""
    for label in ("PERSON", "ORG", "LOC", "NORP", "ALL"):
        d = re.search(r"^%s\s+dyad\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)" % label, ents, re.M)
        s = re.search(r"^%s\s+spacy\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)" % label, ents, re.M)
        if d:
            rows.append(["entities, re3d dev, %s F1 (overlap)" % label, "`dyad eval entities`",
                         d.group(1), "spaCy-sm %s" % s.group(1) if s else "—"])
    if not rows:
        return ""
    lines = ["| measure | command | dyad | peer |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines.append("")
    lines.append("¹ PETRARCH2's figures are not re-measured by this script: they come from "
                 "`crates/dyad-events/EVAL.md`. "
                 "spaCy's entity figures are measured in the same `dyad eval entities` run.")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--limit", type=int, required=True)
    a = ap.parse_args()
    machine = dict(line.split(" ", 1) for line in (read(a.work, "machine", "txt") or "").splitlines() if " " in line)
    table, notes = speed_table(a.work, a.limit)
    print("# dyad beside spaCy-sm and PETRARCH2: %d articles of `%s`\n" % (a.limit, os.path.basename(a.corpus)))
    print("Measured %s, dyad %s; %s, %s cores; pinned: %s; load average at start %s, at end %s."
          % (machine.get("date", "?"), machine.get("commit", "?"), machine.get("cpu", "?"), machine.get("cores", "?"),
             machine.get("pinned", "?"), machine.get("load_start", "?"), machine.get("load_end", "?")))
    print("dyad binary: %s." % machine.get("binary", "?"))
    print("Command: `bench/peers/run.sh --limit %d`. " % a.limit, end="")
    print("Every system runs in its own process on one core. Sentence counts differ because each system "
          "splits sentences its own way; articles/s compares the same input. CPU/wall is the process's CPU "
          "time over its wall time (1.00: it had its core to itself); the (CPU) columns divide by "
          "seconds x CPU/wall, the time it actually ran.\n")
    print(table.markdown())
    print()
    for n in notes:
        print("- " + n)
    q = quality(a.work)
    if q:
        print("\n## Quality figures that already exist\n")
        print(q)
    return 0


if __name__ == "__main__":
    sys.exit(main())
