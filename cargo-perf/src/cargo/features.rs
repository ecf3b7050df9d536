//! Which features a selection turns on in a package, and so which perf
//! targets its `required-features` let cargo build.

use std::collections::BTreeSet;

use cargo_metadata::Package;

use crate::cli::CargoOptions;

/// The features `options` turn on in `package`: `-F` (bare, or as
/// `package/feature`), `default` unless `--no-default-features`, and what
/// those enable in turn; every feature with `--all-features`.
pub(crate) fn enabled_features(package: &Package, options: &CargoOptions) -> BTreeSet<String> {
    if options.all_features {
        return package.features.keys().cloned().collect();
    }
    let mut wanted: Vec<String> = options
        .features
        .iter()
        .flat_map(|list| list.split([',', ' ']))
        .filter(|f| !f.is_empty())
        .filter_map(|f| match f.split_once('/') {
            Some((owner, feature)) => (owner == package.name.as_str()).then(|| feature.to_owned()),
            None => Some(f.to_owned()),
        })
        .collect();
    if !options.no_default_features {
        wanted.push("default".to_owned());
    }
    let mut enabled = BTreeSet::new();
    while let Some(feature) = wanted.pop() {
        if let Some(implied) = package.features.get(&feature)
            && enabled.insert(feature)
        {
            // `feature`, and `dep/feature`, which turns on the optional
            // dependency `dep` (its implicit feature) too; `dep?/feature`
            // and `dep:dep` do not name a feature of this package.
            wanted.extend(implied.iter().filter_map(|f| match f.split_once('/') {
                Some((dep, _)) if !dep.ends_with('?') => Some(dep.to_owned()),
                Some(_) => None,
                None => (!f.starts_with("dep:")).then(|| f.clone()),
            }));
        }
    }
    enabled
}

/// The `required-features` of `target` that `features` leave off. A
/// `dep/feature` entry needs `dep` on when `dep` is an optional
/// dependency (a feature of the package); a required dependency is
/// always on.
pub(crate) fn missing_features(
    package: &Package,
    target: &cargo_metadata::Target,
    features: &BTreeSet<String>,
) -> Vec<String> {
    target
        .required_features
        .iter()
        .filter(|f| {
            let own = f.split_once('/').map_or(f.as_str(), |(dep, _)| dep);
            let is_feature = package.features.contains_key(own);
            !features.contains(own) && (is_feature || !f.contains('/'))
        })
        .cloned()
        .collect()
}
