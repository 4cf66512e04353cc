//! Schemas read from real configuration files of brat and Label Studio (tests/fixtures, see
//! its NOTICE) and from fixtures written for these tests (tests/fixtures/schemas) with the
//! keys, hotkeys and relations the samples lack: labels, relation kinds, colours and keys as
//! expected, and every loss listed.

use std::path::PathBuf;

use super::*;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn brat(rel: &str) -> ImportedSchema {
    read(
        SchemaSource::Brat,
        &fixture(&format!("brat/nlplab__brat/example-data/{rel}")),
    )
    .unwrap()
}

/// `name colour [key k]` per label.
fn labels(imported: &ImportedSchema) -> Vec<String> {
    imported
        .schema
        .labels()
        .iter()
        .map(|d| match d.hotkey {
            Some(k) => format!("{} {} key {k}", d.name, d.colour),
            None => format!("{} {}", d.name, d.colour),
        })
        .collect()
}

/// `name from→to` (`—` when undirected; `*` for any label) per relation kind.
fn kinds(imported: &ImportedSchema) -> Vec<String> {
    let ends = |labels: &[Label]| {
        if labels.is_empty() {
            "*".to_string()
        } else {
            labels
                .iter()
                .map(Label::as_str)
                .collect::<Vec<_>>()
                .join("|")
        }
    };
    imported
        .schema
        .relations()
        .iter()
        .map(|k| {
            let arrow = if k.directed { "→" } else { "—" };
            format!("{} {}{arrow}{}", k.name, ends(&k.from), ends(&k.to))
        })
        .collect()
}

#[test]
fn brat_news_tutorial_with_its_visual_conf() {
    let news = brat("tutorials/news/annotation.conf");
    assert_eq!(
        labels(&news),
        [
            "Person #ff821c",
            "Organization #a7c2ff",
            "GPE #ffd412",
            "Money #007000",
            // Events are labels (their triggers), in palette colours no label was given.
            "Be-born #0072b2",
            "Marry #e69f00",
            "Divorce #009e73",
            "Die #cc79a7",
            "Transfer-ownership #d55e00",
            "Transfer-money #56b4e9",
            "Start-org #f0e442",
            "Merge-org #999999",
            "End-org #0072b2",
            "Report #e69f00",
        ]
    );
    let gpe = news.schema.get("GPE").unwrap();
    assert_eq!(gpe.description, "Geo-political entity");
    let all_events = "Be-born|Marry|Divorce|Die|Transfer-ownership|Transfer-money|Start-org|Merge-org|End-org|Report";
    assert_eq!(
        kinds(&news),
        [
            "Located Person→GPE",
            "Geographical_part GPE→GPE",
            "Family Person→Person",
            "Employment Person→GPE",
            "Ownership Person→Organization",
            "Origin Organization→GPE",
            "Alias Person—Person",
            "Person-Arg Be-born|Marry|Divorce|Die→Person",
            "Place-Arg Be-born|Marry|Divorce|Die→GPE",
            "Agent-Arg Die|Start-org→Person|Organization|GPE",
            "Buyer-Arg Transfer-ownership→Person|Organization|GPE",
            "Seller-Arg Transfer-ownership→Person|Organization|GPE",
            "Artifact-Arg Transfer-ownership→Organization",
            "Giver-Arg Transfer-money→Person|Organization|GPE",
            "Recipient-Arg Transfer-money→Person|Organization|GPE",
            "Beneficiary-Arg Transfer-money→Person|Organization|GPE",
            "Money-Arg Transfer-money→Money",
            "Org-Arg Start-org|Merge-org|End-org→Organization",
            "Reporter-Arg Report→Person|Organization|GPE",
            &format!("Event-Arg Report→{all_events}"),
        ]
    );
    for expected in [
        "relation Alias: transitivity is not carried",
        "attribute Mention (Arg:<ENTITY>; Value:Name|Nominal|Other) not carried: Spanmark labels have no per-label attributes yet",
        "attribute Confidence (Arg:<EVENT>; Value:High|Neutral|Low) not carried: Spanmark labels have no per-label attributes yet",
        "the type hierarchy is flattened; abstract types Life, Transaction, Business are not labels",
        "visual.conf SPAN_DEFAULT bgColor:lightgreen is not carried (labels and kinds without a colour get palette colours)",
        "visual.conf glyph is not carried (Spanmark draws spans and arcs its own way)",
    ] {
        assert!(
            news.not_carried.iter().any(|l| l == expected),
            "{expected}\n{:#?}",
            news.not_carried
        );
    }
}

#[test]
fn brat_entities_only() {
    let conll = brat("corpora/CoNLL-ST_2002/annotation.conf");
    assert_eq!(
        labels(&conll),
        ["ORG #0072b2", "PER #e69f00", "LOC #009e73", "MISC #cc79a7"]
    );
    assert!(conll.schema.relations().is_empty());
    assert_eq!(conll.not_carried, Vec::<String>::new());
}

#[test]
fn brat_bionlp_events_become_labels_and_roles_relation_kinds() {
    let ge = brat("corpora/BioNLP-ST_2011/BioNLP-ST_2011_GE/annotation.conf");
    let events = [
        "Gene_expression",
        "Transcription",
        "Protein_catabolism",
        "Localization",
        "Binding",
        "Phosphorylation",
        "Regulation",
        "Positive_regulation",
        "Negative_regulation",
    ];
    let names: Vec<&str> = ge.schema.labels().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names[..2], ["Protein", "Entity"]);
    assert_eq!(names[2..], events);
    let all = events.join("|");
    let regulations = "Regulation|Positive_regulation|Negative_regulation";
    assert_eq!(
        kinds(&ge),
        [
            "Equiv Protein—Protein".to_string(),
            format!("Theme {all}→Protein|{all}"),
            "ToLoc Localization→Entity".into(),
            "AtLoc Localization→Entity".into(),
            format!("Site Binding|Phosphorylation|{regulations}→Entity"),
            format!("Cause {regulations}→{all}|Protein"),
            format!("CSite {regulations}→Entity"),
        ]
    );
    assert_eq!(
        ge.not_carried,
        [
            "relation Equiv: transitivity is not carried",
            "event role arity (?, *, +, {n}) is not carried: any number of each role is allowed",
            "attribute Negation (Arg:<EVENT>) not carried: Spanmark labels have no per-label attributes yet",
            "attribute Speculation (Arg:<EVENT>) not carried: Spanmark labels have no per-label attributes yet",
        ]
    );
}

#[test]
fn brat_tdt_old_spans_section_and_any_label_relations() {
    let tdt = brat("corpora/TDT/annotation.conf");
    assert_eq!(tdt.schema.labels().len(), 15);
    assert_eq!(tdt.schema.labels()[0].name.as_str(), "A");
    assert_eq!(tdt.schema.labels()[14].name.as_str(), "V");
    assert_eq!(tdt.schema.relations().len(), 98);
    assert_eq!(kinds(&tdt)[0], "acomp *→*");
    let attributes = tdt
        .not_carried
        .iter()
        .filter(|l| l.starts_with("attribute "))
        .count();
    assert_eq!(attributes, 16);
}

#[test]
fn brat_with_keys_visual_and_macros() {
    let imported = read(
        SchemaSource::Brat,
        &fixture("schemas/brat-keys/annotation.conf"),
    )
    .unwrap();
    assert_eq!(
        labels(&imported),
        [
            "Actor #7fa2ff",
            "Date #f0e442",
            "Duration #0072b2 key u",
            "Claim #e69f00",
            "Statement #009e73 key s",
        ]
    );
    assert_eq!(
        kinds(&imported),
        [
            "Source Claim→Actor",
            "Same-as Actor—Actor",
            "Speaker Statement→Actor",
            "Time Statement→Date|Duration",
            "Content Statement→Claim",
        ]
    );
    assert_eq!(
        imported.schema.relation_kind("Source").unwrap().colour,
        Rgb(0xcc, 0x79, 0xa7)
    );
    assert_eq!(
        imported.schema.get("Statement").unwrap().description,
        "Statement event"
    );
    for expected in [
        "key a of label \"Actor\": taken by Accept Span / Take Annotator A's; left unbound",
        "key d of label \"Date\": taken by Take Annotator D's; left unbound",
        "key r of label \"Claim\": taken by Start Relation / Reject Span; left unbound",
        "kb_shortcuts.conf key X of Nothing: Nothing is not a label; not carried",
        "visual.conf colour \"pink\" of Claim is not #rrggbb; a palette colour is used",
        "<OVERLAP> Arg1:Claim, Arg2:Actor|Date, <OVL-TYPE>:contain: overlap rules are not carried (Spanmark allows any overlap)",
        "attribute Negated (Arg:Claim) not carried: Spanmark labels have no per-label attributes yet",
        "the type hierarchy is flattened; abstract types Time-expression are not labels",
    ] {
        assert!(
            imported.not_carried.iter().any(|l| l == expected),
            "{expected}\n{:#?}",
            imported.not_carried
        );
    }
}

#[test]
fn label_studio_ner_config() {
    let imported = read(
        SchemaSource::LabelStudio,
        &fixture("labelstudio/HumanSignal__label-studio-frontend/examples/named_entity/config.xml"),
    )
    .unwrap();
    let names: Vec<&str> = imported
        .schema
        .labels()
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Person",
            "Organization",
            "Fact",
            "Money",
            "Date",
            "Time",
            "Ordinal",
            "Percent",
            "Product",
            "Language",
            "Location"
        ]
    );
    assert!(imported.schema.labels().iter().all(|d| d.hotkey.is_none()));
    assert_eq!(imported.schema.labels()[0].colour, palette::BLUE);
    assert!(imported.schema.relations().is_empty());
    assert_eq!(imported.not_carried, Vec::<String>::new());
}

#[test]
fn label_studio_paragraph_labels_and_named_colours_are_said() {
    let phrases = read(
        SchemaSource::LabelStudio,
        &fixture("labelstudio/HumanSignal__label-studio-frontend/examples/phrases/config.xml"),
    )
    .unwrap();
    assert_eq!(
        labels(&phrases),
        ["Important Stuff #0072b2", "Random talk #e69f00"]
    );
    assert_eq!(
        phrases.not_carried,
        [
            "<ParagraphLabels>: Label Studio applies these to whole paragraphs; here they are span labels"
        ]
    );
    let rich = read(
        SchemaSource::LabelStudio,
        &fixture(
            "labelstudio/HumanSignal__label-studio-frontend/examples/rich_text_plain/config.xml",
        ),
    )
    .unwrap();
    assert_eq!(rich.schema.labels().len(), 4);
    assert_eq!(
        rich.not_carried[0],
        "colour \"red\" of label \"PER\" is not #rrggbb; a palette colour is used"
    );
}

#[test]
fn label_studio_hotkeys_hints_and_relations() {
    let imported = read(
        SchemaSource::LabelStudio,
        &fixture("schemas/label-studio-relations.xml"),
    )
    .unwrap();
    assert_eq!(
        labels(&imported),
        [
            "actor #0072b2 key 1",
            "action #e69f00 key 2",
            "date #00ff00",
            "claim #009e73",
        ]
    );
    assert_eq!(
        imported.schema.get("actor").unwrap().description,
        "A person or group that speaks"
    );
    assert_eq!(kinds(&imported), ["source *→*", "cue *→*"]);
    assert_eq!(
        imported.schema.relation_kind("cue").unwrap().colour,
        Rgb(0xe6, 0x9f, 0x00)
    );
    assert_eq!(
        imported.not_carried,
        [
            "colour \"orange\" of label \"action\" is not #rrggbb; a palette colour is used",
            "<Label alias=…> is not carried (label \"claim\")",
            "<Choices name=\"stance\">: not a span label or relation; not carried",
            "key a of label \"date\": taken by Accept Span / Take Annotator A's; left unbound",
            "key 1 of label \"claim\": label \"actor\" has it already; left unbound",
        ]
    );
}

#[test]
fn doccano_label_types() {
    let imported = read(
        SchemaSource::Doccano,
        &fixture("schemas/doccano-labels.json"),
    )
    .unwrap();
    assert_eq!(
        labels(&imported),
        ["PER #209cee key p", "ORG #ff3860", "LOC #ffdd57"]
    );
    assert_eq!(
        imported.not_carried,
        [
            "doccano text_color is not carried (Spanmark picks the text colour)",
            "key ctrl+o of label \"ORG\": keys with a modifier are not carried; left unbound",
        ]
    );
}

#[test]
fn unreadable_configs_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("config.xml");
    std::fs::write(&bad, "<View><Label value=\"x></View>").unwrap();
    let message = read(SchemaSource::LabelStudio, &bad)
        .unwrap_err()
        .to_string();
    assert!(message.contains("line 1: a tag is not closed"), "{message}");
    assert!(message.ends_with(&bad.display().to_string()));
    std::fs::write(&bad, "{}").unwrap();
    let message = read(SchemaSource::Doccano, &bad).unwrap_err().to_string();
    assert!(message.starts_with("not a doccano label list"), "{message}");
    let missing = dir.path().join("annotation.conf");
    let message = read(SchemaSource::Brat, &missing).unwrap_err().to_string();
    assert!(message.starts_with("cannot read"), "{message}");
}
