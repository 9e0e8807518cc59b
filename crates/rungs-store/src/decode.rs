//! Stored text read back into domain values: a column that does not parse is
//! `StoreError::Corrupt`, naming what it should have been and the value found.

use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;
use rungs_core::assess::CycleName;
use rungs_core::org::PersonId;
use rungs_core::{ExpectationId, LevelId};

use crate::StoreError;

pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} `{value}`"))
}

pub(crate) fn timestamp(text: &str) -> Result<Timestamp, StoreError> {
    Timestamp::from_str(text).map_err(|_| corrupt("time", text))
}

pub(crate) fn date(text: &str) -> Result<Date, StoreError> {
    Date::from_str(text).map_err(|_| corrupt("date", text))
}

pub(crate) fn person_id(text: &str) -> Result<PersonId, StoreError> {
    PersonId::parse(text).map_err(|_| corrupt("person id", text))
}

pub(crate) fn expectation_id(text: &str) -> Result<ExpectationId, StoreError> {
    ExpectationId::parse(text).map_err(|_| corrupt("expectation id", text))
}

pub(crate) fn level_id(text: &str) -> Result<LevelId, StoreError> {
    LevelId::parse(text).map_err(|_| corrupt("level", text))
}

pub(crate) fn cycle_name(text: &str) -> Result<CycleName, StoreError> {
    CycleName::parse(text).map_err(|_| corrupt("cycle name", text))
}
