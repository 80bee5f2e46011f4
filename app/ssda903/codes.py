"""The SSDA903's code lists and the groups the care-order datasets break children down by.

Kept apart from the derivation so the datasets can name the dimensions and categories without importing it.
"""

# Legal status (LS).
INTERIM_CARE_ORDER, FULL_CARE_ORDER = "C1", "C2"
LEGAL_STATUSES = frozenset({"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"})

# Placement type (PLACE); P1 is placed with parents or others with parental responsibility.
AT_HOME = "P1"
PLACEMENTS = frozenset({
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R4", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", "Z11", "Z12", "Z13", "Z14",
})

# Reason for new episode (RNE).
REASONS_NEW = frozenset({"S", "L", "P", "T", "B", "U"})

# Reason episode ceased (REC). X1: the episode ends and the child's next one starts the same day.
NEXT_EPISODE_SAME_DAY = "X1"
REASONS_CEASED = frozenset({
    "X1", "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45", "E46", "E47", "E48",
    "E4A", "E4B", "E5", "E6", "E7", "E8", "E9",
})
# The order ended and the child left care: not at 18 (E17), death, custody, another LA or adoption.
SPECIAL_GUARDIANSHIP = frozenset({"E45", "E46", "E47", "E48"})
CHILD_ARRANGEMENTS = frozenset({"E41"})
DISCHARGES = SPECIAL_GUARDIANSHIP | CHILD_ARRANGEMENTS | {"E4A", "E4B", "E13", "E8"}

SEXES = {1: "male", 2: "female"}

ETHNIC_GROUPS = {
    **dict.fromkeys(("WBRI", "WIRI", "WIRT", "WOTH", "WROM"), "white"),
    **dict.fromkeys(("MWBC", "MWBA", "MWAS", "MOTH"), "mixed"),
    **dict.fromkeys(("AIND", "APKN", "ABAN", "AOTH"), "asian"),
    **dict.fromkeys(("BCRB", "BAFR", "BOTH"), "black"),
    **dict.fromkeys(("CHNE", "OOTH"), "other"),
    **dict.fromkeys(("REFU", "NOBT"), "not_known"),
}

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "age_band": ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_and_over"),
    "sex": ("male", "female"),
    "ethnicity": ("white", "mixed", "asian", "black", "other", "not_known"),
    "time_at_home_on_order": ("under_1_year", "1_to_2_years", "2_to_5_years", "5_years_and_over"),
}
