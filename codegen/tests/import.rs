//! The catalog importer: conversion of a hand-written tccli fixture, losslessness of
//! our JSON, the merge rule (with and without a recorded base) and its report, error paths, and (ignored by default,
//! needs the unpacked wheels) the whole real catalog.

use std::path::{Path, PathBuf};

use tencent_cloud_codegen::import::{
    self, ActionErrors, Catalog, CatalogFiles, Change, ImportError, Kept, Place, Selection, Target,
};
use tencent_cloud_codegen::schema::model::{
    CatalogBase, EnumType, EnumValue, ErrorCode, Member, ServiceSchema,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn fixture_catalog() -> Catalog {
    Catalog::load(&CatalogFiles {
        api: fixture("api.json"),
        examples: Some(fixture("examples.json")),
        errorcodes: Some(fixture("errorcodes.py")),
        action_errors: Some(fixture("action-error-codes.json")),
        protocol_actions: None,
    })
    .unwrap()
}

fn expected() -> ServiceSchema {
    import::read_schema(&fixture("expected.json")).unwrap()
}

fn member<'a>(members: &'a [Member], name: &str) -> &'a Member {
    members.iter().find(|m| m.name == name).unwrap()
}

fn string_member(name: &str) -> Member {
    Member {
        name: name.into(),
        type_: "string".into(),
        doc: String::new(),
        required: false,
        nullable: false,
        output_required: false,
        disabled: false,
        example: None,
        sensitive: false,
    }
}

fn member_names(members: &[Member]) -> Vec<&str> {
    members.iter().map(|m| m.name.as_str()).collect()
}

fn codes(errors: &[ErrorCode]) -> Vec<&str> {
    errors.iter().map(|e| e.code.as_str()).collect()
}

#[test]
fn converts_every_field_and_type_kind() {
    let schema = import::convert(&fixture_catalog(), &Selection::All).unwrap();
    assert_eq!(schema, expected());
}

#[test]
fn written_json_parses_back_to_the_same_schema() {
    let schema = import::convert(&fixture_catalog(), &Selection::All).unwrap();
    let text = import::to_json(&schema);
    let back: ServiceSchema = serde_json::from_str(&text).unwrap();
    assert_eq!(back, schema);
    assert_eq!(import::to_json(&back), text, "formatting is stable");
    assert!(text.ends_with("}\n") && text.contains("\n  \"service\": \"demo\""));
    assert!(text.contains("示例服务"), "non-ASCII is written as UTF-8");
}

#[test]
fn imports_only_the_chosen_actions_and_the_types_they_reach() {
    let selection = Selection::Actions(vec!["OldThing".into()]);
    let schema = import::convert(&fixture_catalog(), &selection).unwrap();
    let names: Vec<&str> = schema.actions.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["OldThing"]);
    assert!(schema.types.is_empty());

    let unknown = Selection::Actions(vec!["NoSuchAction".into()]);
    let error = import::convert(&fixture_catalog(), &unknown).unwrap_err();
    assert!(
        matches!(error, ImportError::UnknownAction { ref action, .. } if action == "NoSuchAction")
    );
}

/// The existing file: the fixture's import plus a maintainer's edits.
fn hand_edited() -> ServiceSchema {
    let mut schema = expected();
    schema.enums.push(EnumType {
        name: "ThingKind".into(),
        doc: "Size class.".into(),
        values: ["big", "small"]
            .map(|value| EnumValue {
                value: value.into(),
                doc: String::new(),
            })
            .into(),
    });
    let action = &mut schema.actions[0];
    action.rate_limit = Some(5);
    action.request.members[3].type_ = "ThingKind".into();
    action.request.members[0].sensitive = true;
    action.errors[0].description = "Corrected by hand.".into();
    action.errors.push(ErrorCode {
        code: "FailedOperation.Hand".into(),
        description: "Seen in production.".into(),
    });
    schema
}

#[test]
fn merge_keeps_hand_edits_and_takes_catalog_changes() {
    let mut catalog = fixture_catalog();
    let api = &mut catalog.api;
    api.actions.get_mut("DescribeThings").unwrap().document = "Lists things, paged.".into();
    let mut tag = api.objects["DescribeThingsRequest"].members[2].clone();
    tag.name = "Tag".into();
    tag.member = "string".into();
    tag.type_ = "string".into();
    api.objects
        .get_mut("DescribeThingsRequest")
        .unwrap()
        .members
        .push(tag);
    api.objects.get_mut("Thing").unwrap().members[0].document = "Thing ID.".into();

    let existing = hand_edited();
    let (merged, report) = import::import(&catalog, &Selection::All, Some(&existing)).unwrap();

    let action = &merged.actions[0];
    assert_eq!(action.rate_limit, Some(5));
    assert_eq!(merged.enums, existing.enums);
    assert_eq!(member(&action.request.members, "Kind").type_, "ThingKind");
    assert_eq!(member(&action.request.members, "Tag").type_, "string");
    let flagged = &existing.actions[0].request.members[0].name;
    assert!(
        member(&action.request.members, flagged).sensitive,
        "the file's sensitive flag is kept"
    );
    assert_eq!(action.doc, "Lists things, paged.");
    assert_eq!(member(&merged.types[1].members, "Id").doc, "Thing ID.");
    let codes: Vec<(&str, &str)> = action
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.description.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("InvalidParameter", "Corrected by hand."),
            ("LimitExceeded.NotInErrorcodes", ""),
            ("FailedOperation.Hand", "Seen in production."),
        ]
    );

    let action_place = || Place::Action("DescribeThings".into());
    assert_eq!(
        report.changes,
        [
            Change::DocChanged {
                at: Target::place(action_place())
            },
            Change::MemberAdded {
                at: Place::Request("DescribeThings".into()),
                member: "Tag".into(),
            },
            Change::DocChanged {
                at: Target {
                    place: Place::Type("Thing".into()),
                    member: Some("Id".into())
                },
            },
        ]
    );
    assert_eq!(
        report.kept,
        [
            Kept::EnumType {
                at: Target {
                    place: Place::Request("DescribeThings".into()),
                    member: Some("Kind".into()),
                },
                kept: "ThingKind".into(),
                catalog: "string".into(),
            },
            Kept::ErrorDescription {
                at: action_place(),
                code: "InvalidParameter".into(),
                catalog: "Parameter error.".into(),
            },
            Kept::ErrorCode {
                at: action_place(),
                code: "FailedOperation.Hand".into()
            },
        ]
    );
    let printed = report.to_string();
    assert!(
        printed.contains("+ DescribeThings request.Tag"),
        "{printed}"
    );
}

#[test]
fn merge_reports_removals_and_keeps_actions_the_catalog_lacks() {
    let mut existing = expected();
    existing.actions[0]
        .response
        .members
        .push(string_member("Gone"));
    let mut hand_action = existing.actions[1].clone();
    hand_action.name = "HandAction".into();
    existing.actions.push(hand_action);

    // Importing one action leaves the others alone; the file's order is kept.
    let selection = Selection::Actions(vec!["DescribeThings".into()]);
    let (merged, report) = import::import(&fixture_catalog(), &selection, Some(&existing)).unwrap();
    let names: Vec<&str> = merged.actions.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        ["DescribeThings", "OldThing", "PublicThing", "HandAction"]
    );
    assert_eq!(
        report.changes,
        [Change::MemberRemoved {
            at: Place::Response("DescribeThings".into()),
            member: "Gone".into(),
        }]
    );
    assert_eq!(
        report.kept,
        [Kept::ActionNotInCatalog {
            action: "HandAction".into()
        }]
    );
}

#[test]
fn a_new_file_reports_every_action_and_type_as_added() {
    let (_, report) = import::import(&fixture_catalog(), &Selection::All, None).unwrap();
    let added: Vec<String> = report
        .changes
        .iter()
        .filter(|c| matches!(c, Change::ActionAdded { .. } | Change::TypeAdded { .. }))
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        added,
        [
            "+ action DescribeThings",
            "+ action OldThing",
            "+ action PublicThing",
            "+ type Filter",
            "+ type Thing"
        ]
    );
    assert!(report.kept.is_empty());
}

/// The file a first import writes: the fixture's import with its catalog base.
fn first_import() -> ServiceSchema {
    import::import(&fixture_catalog(), &Selection::All, None)
        .unwrap()
        .0
}

fn base(schema: &ServiceSchema) -> &CatalogBase {
    schema.catalog_base.as_ref().unwrap()
}

#[test]
fn a_new_file_records_the_catalog_base_last() {
    let schema = first_import();
    let base = base(&schema);
    assert_eq!(
        Vec::from_iter(&base.errors),
        [
            "FailedOperation",
            "InvalidParameter",
            "ResourceNotFound.Thing"
        ]
    );
    let action = &base.actions["DescribeThings"];
    assert_eq!(
        Vec::from_iter(&action.request),
        ["Filter", "Ids", "Kind", "Limit", "Offset", "Since"]
    );
    assert_eq!(Vec::from_iter(&action.response), ["ThingSet", "TotalCount"]);
    assert_eq!(
        Vec::from_iter(&action.errors),
        ["InvalidParameter", "LimitExceeded.NotInErrorcodes"]
    );
    assert!(base.actions["OldThing"].request.is_empty());
    assert_eq!(Vec::from_iter(base.types.keys()), ["Filter", "Thing"]);
    assert_eq!(Vec::from_iter(&base.types["Filter"]), ["Name"]);

    let text = import::to_json(&schema);
    let tail = &text[text.find("\n  \"types\"").unwrap()..];
    assert!(
        tail.contains("\n  \"catalog_base\": {"),
        "written after types"
    );
    assert_eq!(
        serde_json::from_str::<ServiceSchema>(&text).unwrap(),
        schema
    );
}

#[test]
fn with_a_base_codes_removed_by_hand_stay_out_and_codes_the_catalog_dropped_go() {
    let mut existing = first_import();
    existing
        .errors
        .retain(|e| e.code != "ResourceNotFound.Thing");
    let errors = &mut existing.actions[0].errors;
    errors.retain(|e| e.code != "LimitExceeded.NotInErrorcodes");
    errors.push(ErrorCode {
        code: "FailedOperation.Hand".into(),
        description: String::new(),
    });
    let mut catalog = fixture_catalog();
    catalog
        .service_errors
        .retain(|e| e.code != "FailedOperation");
    catalog.action_errors.as_mut().unwrap().insert(
        "DescribeThings".into(),
        vec![
            "LimitExceeded.NotInErrorcodes".into(),
            "LimitExceeded.New".into(),
        ],
    );

    let (merged, report) = import::import(&catalog, &Selection::All, Some(&existing)).unwrap();
    assert_eq!(codes(&merged.errors), ["InvalidParameter"]);
    assert_eq!(
        codes(&merged.actions[0].errors),
        ["FailedOperation.Hand", "LimitExceeded.New"]
    );
    assert_eq!(
        codes(&merged.actions[1].errors),
        ["InvalidParameter", "ResourceNotFound.Thing"],
        "the service list, as the catalog has it now"
    );
    let describe = || Place::Action("DescribeThings".into());
    assert_eq!(
        report.kept,
        [
            Kept::ErrorRemovedByHand {
                at: Place::Service,
                code: "ResourceNotFound.Thing".into(),
            },
            Kept::ErrorCode {
                at: describe(),
                code: "FailedOperation.Hand".into(),
            },
            Kept::ErrorRemovedByHand {
                at: describe(),
                code: "LimitExceeded.NotInErrorcodes".into(),
            },
        ]
    );
    let removed = |at: Place| Change::ErrorRemoved {
        at,
        code: "FailedOperation".into(),
    };
    assert_eq!(
        report.changes,
        [
            removed(Place::Service),
            Change::ErrorAdded {
                at: describe(),
                code: "LimitExceeded.New".into(),
            },
            Change::ErrorRemoved {
                at: describe(),
                code: "InvalidParameter".into(),
            },
            removed(Place::Action("OldThing".into())),
            removed(Place::Action("PublicThing".into())),
        ]
    );
    assert!(
        report
            .to_string()
            .contains("service error ResourceNotFound.Thing (removed by hand, in catalog)"),
        "{report}"
    );

    // The new base is the catalog's list: the removal is recognised again next time.
    let (again, report) = import::import(&catalog, &Selection::All, Some(&merged)).unwrap();
    assert_eq!(import::to_json(&again), import::to_json(&merged));
    assert!(report.changes.is_empty(), "{report}");
}

#[test]
fn with_a_base_members_added_by_hand_survive_and_removed_by_hand_stay_out() {
    let mut existing = first_import();
    let request = &mut existing.actions[0].request.members;
    request.retain(|m| m.name != "Since");
    request.insert(1, string_member("HandNote"));
    existing.types[1].members.push(string_member("Extra"));
    let mut catalog = fixture_catalog();
    let objects = &mut catalog.api.objects;
    let mut tag = objects["DescribeThingsRequest"].members[3].clone();
    tag.name = "Tag".into();
    objects
        .get_mut("DescribeThingsRequest")
        .unwrap()
        .members
        .push(tag);
    let thing = objects.get_mut("Thing").unwrap();
    thing.members.retain(|m| m.name != "Day");

    let (merged, report) = import::import(&catalog, &Selection::All, Some(&existing)).unwrap();
    assert_eq!(
        member_names(&merged.actions[0].request.members),
        [
            "Ids", "Limit", "Offset", "Kind", "Filter", "Tag", "HandNote"
        ]
    );
    assert_eq!(
        member_names(&merged.types[1].members),
        [
            "Id",
            "Ratio",
            "Enabled",
            "CreatedAt",
            "Sizes",
            "Children",
            "Extra"
        ]
    );
    let request = || Place::Request("DescribeThings".into());
    let thing = || Place::Type("Thing".into());
    assert_eq!(
        report.kept,
        [
            Kept::MemberRemovedByHand {
                at: request(),
                member: "Since".into(),
            },
            Kept::MemberAddedByHand {
                at: request(),
                member: "HandNote".into(),
            },
            Kept::MemberAddedByHand {
                at: thing(),
                member: "Extra".into(),
            },
        ]
    );
    assert_eq!(
        report.changes,
        [
            Change::MemberAdded {
                at: request(),
                member: "Tag".into(),
            },
            Change::MemberRemoved {
                at: thing(),
                member: "Day".into(),
            },
        ]
    );
    assert!(
        report
            .to_string()
            .contains("DescribeThings request.HandNote (added by hand, not in catalog)"),
        "{report}"
    );

    let (again, report) = import::import(&catalog, &Selection::All, Some(&merged)).unwrap();
    assert_eq!(import::to_json(&again), import::to_json(&merged));
    assert!(report.changes.is_empty(), "{report}");
}

#[test]
fn without_a_base_a_removed_code_returns_and_an_added_member_goes() {
    let mut existing = first_import();
    existing.catalog_base = None;
    existing.actions[0]
        .errors
        .retain(|e| e.code != "InvalidParameter");
    existing.actions[0]
        .request
        .members
        .push(string_member("HandNote"));

    let (merged, report) =
        import::import(&fixture_catalog(), &Selection::All, Some(&existing)).unwrap();
    assert_eq!(
        codes(&merged.actions[0].errors),
        ["LimitExceeded.NotInErrorcodes", "InvalidParameter"]
    );
    assert_eq!(merged.actions[0].request, first_import().actions[0].request);
    assert_eq!(merged.catalog_base, first_import().catalog_base);
    assert_eq!(
        report.changes,
        [
            Change::MemberRemoved {
                at: Place::Request("DescribeThings".into()),
                member: "HandNote".into(),
            },
            Change::ErrorAdded {
                at: Place::Action("DescribeThings".into()),
                code: "InvalidParameter".into(),
            },
        ]
    );
    assert!(report.kept.is_empty());
}

#[test]
fn importing_the_same_catalog_twice_changes_nothing() {
    // A file from before bases were recorded: the first import only adds the base.
    let mut existing = hand_edited();
    assert_eq!(existing.catalog_base, None);
    let (first, report) =
        import::import(&fixture_catalog(), &Selection::All, Some(&existing)).unwrap();
    assert!(report.changes.is_empty(), "{report}");
    existing.catalog_base = first.catalog_base.clone();
    assert_eq!(first, existing, "nothing but the base was added");

    let text = import::to_json(&first);
    let reread: ServiceSchema = serde_json::from_str(&text).unwrap();
    let (second, report) =
        import::import(&fixture_catalog(), &Selection::All, Some(&reread)).unwrap();
    assert_eq!(import::to_json(&second), text);
    assert!(report.changes.is_empty(), "{report}");
    assert_eq!(
        report.kept.len(),
        3,
        "the hand edits are still reported: {report}"
    );
}

#[test]
fn an_import_without_the_error_inputs_keeps_the_error_lists_and_their_base() {
    let existing = first_import();
    assert!(!existing.errors.is_empty() && !existing.actions[0].errors.is_empty());
    // As if run without --errorcodes and --action-errors: the catalog lists no codes.
    let mut catalog = fixture_catalog();
    catalog.service_errors.clear();
    catalog.action_errors = None;
    let (merged, report) = import::import(&catalog, &Selection::All, Some(&existing)).unwrap();
    assert_eq!(merged, existing, "{report}");
    assert!(report.changes.is_empty(), "{report}");
}

#[test]
fn a_partial_import_keeps_the_base_of_untouched_actions_and_drops_unreached_types() {
    let mut existing = first_import();
    existing.actions[0]
        .request
        .members
        .retain(|m| m.name != "Filter");
    let mut catalog = fixture_catalog();
    catalog
        .service_errors
        .retain(|e| e.code != "FailedOperation");

    let selection = Selection::Actions(vec!["DescribeThings".into()]);
    let (merged, _) = import::import(&catalog, &selection, Some(&existing)).unwrap();
    let (before, after) = (base(&existing), base(&merged));
    assert_eq!(
        Vec::from_iter(&after.errors),
        ["InvalidParameter", "ResourceNotFound.Thing"]
    );
    assert_eq!(after.actions["OldThing"], before.actions["OldThing"]);
    assert!(after.actions["OldThing"].errors.contains("FailedOperation"));
    assert_eq!(
        after.actions["DescribeThings"], before.actions["DescribeThings"],
        "a hand removal does not change the base"
    );
    assert!(merged.types.iter().all(|t| t.name != "Filter"));
    assert_eq!(Vec::from_iter(after.types.keys()), ["Thing"]);
}

#[test]
fn an_action_removed_by_hand_stays_out_until_it_is_imported_by_name() {
    let mut existing = first_import();
    existing.actions.retain(|a| a.name != "OldThing");

    let (merged, report) =
        import::import(&fixture_catalog(), &Selection::All, Some(&existing)).unwrap();
    assert!(merged.actions.iter().all(|a| a.name != "OldThing"));
    assert!(
        !report
            .changes
            .iter()
            .any(|c| matches!(c, Change::ActionAdded { .. })),
        "{report}"
    );
    assert_eq!(
        report.kept,
        [Kept::ActionRemovedByHand {
            action: "OldThing".into()
        }]
    );
    assert!(
        base(&merged).actions.contains_key("OldThing"),
        "the removal is remembered for the next import"
    );

    // A second import of everything still leaves it out ...
    let (again, _) = import::import(&fixture_catalog(), &Selection::All, Some(&merged)).unwrap();
    assert_eq!(again, merged);
    // ... and naming it brings it back.
    let selection = Selection::Actions(vec!["OldThing".into()]);
    let (back, report) = import::import(&fixture_catalog(), &selection, Some(&merged)).unwrap();
    assert!(back.actions.iter().any(|a| a.name == "OldThing"));
    assert!(report.kept.is_empty(), "{report}");
}

#[test]
fn a_hand_removal_is_forgotten_once_the_catalog_drops_the_action_too() {
    let mut existing = first_import();
    existing.actions.retain(|a| a.name != "OldThing");
    let mut catalog = fixture_catalog();
    catalog.api.actions.remove("OldThing");

    let (merged, report) = import::import(&catalog, &Selection::All, Some(&existing)).unwrap();
    assert!(!base(&merged).actions.contains_key("OldThing"));
    assert!(report.kept.is_empty(), "{report}");
}

#[test]
fn malformed_catalog_errors_name_the_file_and_json_path() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-malformed");
    std::fs::create_dir_all(&dir).unwrap();
    let api = dir.join("api.json");
    let text = std::fs::read_to_string(fixture("api.json")).unwrap();

    std::fs::write(
        &api,
        text.replace("\"required\": 1", "\"required\": \"yes\""),
    )
    .unwrap();
    let error = Catalog::load(&CatalogFiles {
        api: api.clone(),
        ..Default::default()
    })
    .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("api.json"), "{message}");
    assert!(
        message.contains("objects.DescribeThingsRequest.members[1].required"),
        "{message}"
    );

    std::fs::write(
        &api,
        text.replace("\"member\": \"Filter\"", "\"member\": \"Missing\""),
    )
    .unwrap();
    let catalog = Catalog::load(&CatalogFiles {
        api,
        ..Default::default()
    })
    .unwrap();
    let message = import::convert(&catalog, &Selection::All)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("objects.DescribeThingsRequest.members[5].member"),
        "{message}"
    );
}

/// Every service version of the real catalog imports, its JSON (with the catalog base)
/// round-trips, and importing it again changes nothing.
/// Needs the unpacked wheels (see `shared/catalog/README.md`):
///
/// ```text
/// TCCLI_SERVICES=/tmp/tcw/tccli/tccli/services PYSDK=/tmp/tcw/pysdk/tencentcloud \
///   cargo test -p tencent-cloud-codegen --test import -- --ignored
/// ```
#[test]
#[ignore = "needs the unpacked tccli and Python SDK wheels"]
fn imports_the_whole_real_catalog() {
    let services = PathBuf::from(std::env::var("TCCLI_SERVICES").unwrap());
    let pysdk = PathBuf::from(std::env::var("PYSDK").unwrap());
    let action_errors = std::env::var("ACTION_ERRORS").map_or_else(
        |_| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/catalog/action-error-codes.json")
        },
        PathBuf::from,
    );
    let action_errors = ActionErrors::load(&action_errors).unwrap();

    let (mut versions, mut actions, mut types) = (0, 0, 0);
    let mut service_dirs: Vec<PathBuf> = std::fs::read_dir(&services)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    service_dirs.sort();
    for service in service_dirs {
        let mut version_dirs: Vec<PathBuf> = std::fs::read_dir(&service)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.join("api.json").is_file())
            .collect();
        version_dirs.sort();
        for dir in version_dirs {
            let relative = dir.strip_prefix(&services).unwrap();
            let errorcodes = pysdk.join(relative).join("errorcodes.py");
            let examples = dir.join("examples.json");
            let mut catalog = Catalog::load(&CatalogFiles {
                api: dir.join("api.json"),
                examples: examples.is_file().then_some(examples),
                errorcodes: errorcodes.is_file().then_some(errorcodes),
                action_errors: None,
                protocol_actions: None,
            })
            .unwrap_or_else(|e| panic!("{e}"));
            let metadata = &catalog.api.metadata;
            catalog.action_errors = action_errors
                .for_version(&metadata.service_short_name, &metadata.api_version)
                .cloned();
            let import_into = |existing| {
                import::import(&catalog, &Selection::All, existing)
                    .unwrap_or_else(|e| panic!("{e}"))
            };
            let (schema, _) = import_into(None);
            let text = import::to_json(&schema);
            let back: ServiceSchema = serde_json::from_str(&text).unwrap();
            assert_eq!(back, schema, "{}", dir.display());
            let (again, report) = import_into(Some(&back));
            assert_eq!(import::to_json(&again), text, "{}", dir.display());
            assert!(report.changes.is_empty(), "{}: {report}", dir.display());
            versions += 1;
            actions += schema.actions.len();
            types += schema.types.len();
        }
    }
    println!("{versions} service versions, {actions} actions, {types} object types");
    assert_eq!((versions, actions, types), (160, 9678, 9207));
}

#[test]
fn protocol_marks_come_from_protocol_actions_json_for_this_version_only() {
    let catalog = Catalog::load(&CatalogFiles {
        api: fixture("api.json"),
        protocol_actions: Some(fixture("protocol-actions.json")),
        ..CatalogFiles::default()
    })
    .unwrap();
    let (schema, _) = import::import(&catalog, &Selection::All, None).unwrap();
    let marks = |name: &str| {
        let action = schema.actions.iter().find(|a| a.name == name).unwrap();
        (action.server_sent_events, action.octet_stream)
    };
    assert_eq!(marks("DescribeThings"), (true, false));
    assert_eq!(marks("PublicThing"), (false, true));
    // Listed for another service and another version of this one: not marked here.
    assert_eq!(marks("OldThing"), (false, false));

    // Without the file nothing is marked, and an unmarked action's JSON has no mark.
    let (plain, _) = import::import(&fixture_catalog(), &Selection::All, None).unwrap();
    assert!(
        plain
            .actions
            .iter()
            .all(|a| !a.server_sent_events && !a.octet_stream)
    );
    assert!(!import::to_json(&plain).contains("server_sent_events"));
    assert!(import::to_json(&schema).contains("\"server_sent_events\": true"));
}

#[test]
fn a_malformed_protocol_actions_file_names_the_file_and_json_path() {
    let dir = std::env::temp_dir().join(format!("protocol-actions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("protocol-actions.json");
    std::fs::write(
        &path,
        r#"{"server_sent_events": {"actions": {"demo": {"2020-01-01": "DescribeThings"}}}, "octet_stream_request": {"actions": {}}}"#,
    )
    .unwrap();
    let error = Catalog::load(&CatalogFiles {
        api: fixture("api.json"),
        protocol_actions: Some(path.clone()),
        ..CatalogFiles::default()
    })
    .unwrap_err()
    .to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(error.contains("protocol-actions.json"), "{error}");
    assert!(
        error.contains("server_sent_events.actions.demo.2020-01-01"),
        "{error}"
    );
}
