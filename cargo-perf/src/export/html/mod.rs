//! The HTML report: one self-contained page (style, SVG charts and a small
//! checking script inline; no network, no fonts to fetch) drawn from the
//! run record and its comparison.

mod axis;
mod bench;
mod comparison;
mod history;
mod kinds;
mod load;
mod markup;
mod page;
mod parts;
mod percentiles;
mod safe;
mod svg;
#[cfg(test)]
mod tests;

pub(crate) use page::render;
