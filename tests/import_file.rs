//! `claimledger import` into a path with no ledger creates the ledger only when
//! the import succeeds: a refused file of any format leaves no file behind.

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_claimledger")).args(args).output().unwrap()
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn a_refused_import_creates_no_ledger_file() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let bad = [
        ("csl", r#"[{"id": "a", "type": "book", "title": "T", "author": ["Jane Doe"]}]"#),
        ("claimreview", r#"{"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}}"#),
        ("bundle", "{\"format\":\"claimledger-bundle\",\"version\":1}\n{\"type\":\"nonsense\"}\n"),
    ];
    for (format, text) in bad {
        let file = inputs.join(format!("bad-{format}.json"));
        std::fs::write(&file, text).unwrap();
        let ledger = work.join(format!("{format}.ledger"));
        let out = cli(&["import", ledger.to_str().unwrap(), "--format", format, file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!ledger.exists(), "{format}: a refused import created {}", ledger.display());
        assert!(listing(&work).is_empty(), "{format}: left {:?}", listing(&work));
    }
    // A good one creates the ledger, and only it.
    let good = inputs.join("good.json");
    std::fs::write(&good, r#"[{"id": "a", "type": "book", "title": "T"}]"#).unwrap();
    let ledger = work.join("good.ledger");
    let out = cli(&["import", ledger.to_str().unwrap(), "--format", "csl", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(listing(&work), ["good.ledger"]);
    let out = cli(&["export", ledger.to_str().unwrap(), "--format", "csl"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["title"], "T");
    // Into an existing ledger, a refused file changes nothing.
    let before = std::fs::read(&ledger).unwrap();
    let bad_csl = inputs.join("bad-csl.json");
    let out = cli(&["import", ledger.to_str().unwrap(), "--format", "csl", bad_csl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&ledger).unwrap(), before);
}
