//! The hash of the maps every request looks up (the keys, each key's data): FNV-1a, a few
//! instructions a byte where the standard SipHash costs a few hundred a look-up. Their
//! entries are the mock's own (the keys it was given), never a client's choosing, so a
//! client cannot flood them with colliding entries.

/// Builds FNV-1a hashers (the `fnv` crate), for `HashMap<K, V, KeyHash>`.
pub type KeyHash = fnv::FnvBuildHasher;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn a_map_under_it_finds_what_it_holds() {
        let mut map: HashMap<String, usize, KeyHash> = HashMap::default();
        for n in 0..1000 {
            map.insert(format!("key-{n}"), n);
        }
        assert!((0..1000).all(|n| map.get(format!("key-{n}").as_str()) == Some(&n)));
        assert_eq!(map.get("key-1000"), None);
    }
}
