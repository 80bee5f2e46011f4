"""The SSDA903's codes and the groups the API derives from them."""

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "age_band": ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_and_over"),
    "sex": ("male", "female"),
    "ethnicity": ("white", "mixed", "asian", "black", "other", "not_known"),
    "time_at_home_on_order": ("under_1_year", "1_to_2_years", "2_to_5_years", "5_years_and_over"),
}
