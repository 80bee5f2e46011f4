"""Reading a 903 extract: the forms an LA's files come in, and every check, each found where the analyst will look."""

from datetime import date

from app.ssda903.extract import Child, Episode, read_extract
from tests.ssda903.files import child, episode, faults, files, located, read

A_CHILD = [child("A")]


# --- the forms the files come in ------------------------------------------------------------------------------

def test_a_bom_crlf_day_first_file_reads_as_the_same_extract_as_an_iso_file():
    iso = read([child("A", dob="2015-06-01")],
               [episode("A", "2019-06-01", "C1", "P1", "2019-09-01", "X1"), episode("A", "2019-09-01", "C2", "P1")])
    header = b"\xef\xbb\xbfCHILD,SEX,DOB,ETHNIC\r\nA,1,01/06/2015,WBRI\r\n"
    episodes = (b"\xef\xbb\xbfCHILD,DECOM,RNE,LS,PLACE,DEC,REC\r\nA,01/06/2019,S,C1,P1,01/09/2019,X1\r\n"
                b"A,01/09/2019,S,C2,P1,,\r\n")
    uk, problems = read_extract(header, episodes)
    assert problems == [] and uk == iso


def test_files_saved_with_semicolons_or_tabs_read_as_the_same_extract():
    header = "CHILD,SEX,DOB,ETHNIC\nA,1,01/06/2015,WBRI\n"
    episodes = "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\nA,01/06/2019,S,C2,P1,,\n"
    commas, problems = read_extract(header.encode(), episodes.encode())
    assert problems == []
    for separator in (";", "\t"):
        assert read_extract(header.replace(",", separator).encode(),
                            episodes.replace(",", separator).encode()) == (commas, [])


def test_extra_columns_are_ignored_and_nothing_of_them_is_kept():
    header = b"UPN,CHILD,SEX,DOB,ETHNIC,MOTHER,MC_DOB\nX999,A,1,2015-06-01,WBRI,1,2010-01-01\n"
    episodes = (b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                b"A,2019-06-01,S,C2,N1,P1,PR0,,,,M1 1AA,M2 2BB,SC123456\n")
    extract, problems = read_extract(header, episodes)
    assert problems == []
    assert extract.children == {"A": Child("A", 1, date(2015, 6, 1), "WBRI")}
    assert extract.episodes == [Episode("A", date(2019, 6, 1), "S", "C2", "P1", None, None, 2)]
    kept = repr(extract)
    assert [v for v in ("X999", "2010", "N1", "PR0", "M1 1AA", "M2 2BB", "SC123456") if v in kept] == []


def test_column_names_in_any_case_with_spaces_and_codes_in_any_case_are_read_and_stored_upper_case():
    header = b" child ,Sex,dob,Ethnic\n  A , 2 , 2015-06-01 , wbri \n"
    episodes = b"Child,decom,rne,ls,place,dec,rec\nA,2019-06-01,s,c1,p1,2019-07-01,e4a\n"
    extract, problems = read_extract(header, episodes)
    assert problems == []
    assert extract.children["A"] == Child("A", 2, date(2015, 6, 1), "WBRI")
    assert extract.episodes[0] == Episode("A", date(2019, 6, 1), "S", "C1", "P1", date(2019, 7, 1), "E4A", 2)


def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers():
    header = b"CHILD,SEX,DOB,ETHNIC\n\nA,1,2015-06-01,WBRI\n,,,\n"
    episodes = b"CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n\n\nA,2019-06-01,S,C2,P1,,\n"
    extract, _ = read_extract(header, episodes)
    assert (extract.header_rows, extract.episode_rows) == (1, 1)
    assert extract.episodes[0].row == 4


def test_blank_lines_count_toward_the_row_limit_which_is_reported_once():
    header, episodes = files(A_CHILD, [episode("A")])
    header += b"\n" * 3
    problems = faults(header, episodes, max_rows=3)
    assert [(p.file, p.row, p.column) for p in problems] == [("header", 5, None)]
    assert "more than 3 rows" in problems[0].message


def test_an_episodes_file_cut_at_the_row_limit_reports_only_the_limit_not_the_chains_it_cut():
    header, episodes = files(A_CHILD, [episode("A", "2019-06-01", "C1", "P1", "2019-09-01", "X1"),
                                       episode("A", "2019-09-01", "C2", "P1")])
    problems = faults(header, episodes, max_rows=1)
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 3, None)]


def test_a_file_within_the_row_limit_is_read():
    extract, _ = read_extract(*files(A_CHILD, [episode("A")]), max_rows=1)
    assert extract is not None


# --- the checks: each names file, row and column, and no extract is returned ----------------------------------

def test_a_missing_required_column_is_reported_once_at_row_1():
    header = b"CHILD,SEX,DOB\nA,1,2015-06-01\nB,2,2015-06-01\n"
    episodes = b"CHILD,DECOM,RNE,LS,PLACE,REC\nA,2019-06-01,S,C2,P1,\n"
    problems = faults(header, episodes)
    assert [(p.file, p.row, p.column) for p in problems] == [("header", 1, "ETHNIC"), ("episodes", 1, "DEC")]
    assert problems[0].message == "required column 'ETHNIC' is missing; every row must give it"


def test_a_required_column_given_twice_is_reported():
    header = b"CHILD,SEX,DOB,ETHNIC,child\nA,1,2015-06-01,WBRI,B\n"
    problems = faults(header, files(A_CHILD, [episode("A")])[1])
    assert [(p.file, p.row, p.column) for p in problems] == [("header", 1, "CHILD")]


def test_an_empty_file_names_the_columns_it_needs():
    problems = faults(b"", files(A_CHILD, [episode("A")])[1])
    assert [(p.file, p.row, p.column) for p in problems] == [("header", 1, None)]
    assert problems[0].message == "the first line names no columns; it must name them, at least CHILD, SEX, DOB, ETHNIC"


def test_a_blank_first_line_is_no_header():
    header, episodes = files(A_CHILD, [episode("A")])
    assert [(p.file, p.row, p.column) for p in faults(header, b"\r\n" + episodes)] == [("episodes", 1, None)]


def test_a_file_that_is_not_utf8_names_the_line():
    header, episodes = files(A_CHILD, [episode("A")])
    problems = faults(header, episodes + b"A,2019-06-01,S,C2,P\xe9,,\n")
    assert [(p.file, p.row) for p in problems] == [("episodes", 3)]
    assert "not UTF-8" in problems[0].message


def test_a_nul_byte_names_the_line():
    header, episodes = files(A_CHILD, [episode("A")])
    problems = faults(header + b"B\x00,1,2015-06-01,WBRI\n", episodes)
    assert [(p.file, p.row) for p in problems] == [("header", 3)]


def test_a_child_given_twice_in_the_header_is_reported_at_the_second_row():
    problems = faults(*files([child("A"), child("B"), child("A")], [episode("A")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("header", 4, "CHILD")]
    assert problems[0].message == 'child "A" has a row already, row 2; the header file has one row a child'


def test_an_episode_of_a_child_not_in_the_header_is_reported():
    assert located(A_CHILD, [episode("A"), episode("B")]) == [("episodes", 3, "CHILD")]


def test_a_blank_child_is_reported_in_each_file():
    problems = faults(*files([child("A"), child("")], [episode("A"), episode("")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("header", 3, "CHILD"), ("episodes", 3, "CHILD")]
    assert problems[1].message == "CHILD is blank; every row gives the child's identifier, the same as in the header file"


def test_an_impossible_date_of_birth_is_reported_with_the_month_length():
    problems = faults(*files([child("A", dob="31/02/2015")], [episode("A")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("header", 2, "DOB")]
    assert problems[0].message == ('"31/02/2015" is not a real date: February 2015 has 28 days; use 2015-02-28 or '
                                   "28/02/2015")


def test_an_episode_start_that_is_no_date_is_reported():
    problems = faults(*files(A_CHILD, [episode("A", "June 2019")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 2, "DECOM")]
    assert problems[0].message.startswith('"June 2019" is not a date')


def test_an_episode_end_that_is_no_real_date_is_reported():
    assert located(A_CHILD, [episode("A", dec="2019-13-01", rec="E4A")]) == [("episodes", 2, "DEC")]


def test_a_date_of_birth_after_the_first_episode_is_reported_on_the_header_row():
    problems = faults(*files([child("B"), child("A", dob=date(2019, 7, 1))],
                             [episode("A", date(2019, 8, 1)), episode("A", date(2019, 6, 1), dec=date(2019, 8, 1), rec="X1")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("header", 3, "DOB")]
    assert problems[0].message == ("DOB (2019-07-01) is after the child's first episode starts (DECOM 2019-06-01, "
                                   "episodes row 3); a child is born before they are looked after")


def test_an_episode_ending_before_it_starts_is_reported():
    problems = faults(*files(A_CHILD, [episode("A", date(2019, 6, 1), dec=date(2019, 5, 31), rec="E4A")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 2, "DEC")]
    assert problems[0].message.startswith("DEC (2019-05-31) is before DECOM (2019-06-01)")


def test_an_episode_ending_the_day_it_starts_is_taken():
    read(A_CHILD, [episode("A", date(2019, 6, 1), dec=date(2019, 6, 1), rec="X1"), episode("A", date(2019, 6, 1))])


def test_an_end_date_without_a_reason_is_reported_on_rec():
    assert located(A_CHILD, [episode("A", dec=date(2020, 1, 1))]) == [("episodes", 2, "REC")]


def test_a_reason_without_an_end_date_is_reported_on_dec():
    problems = faults(*files(A_CHILD, [episode("A", rec="E4A")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 2, "DEC")]
    assert problems[0].message.startswith('DEC is blank but REC is "E4A"')


def test_x1_with_no_episode_starting_on_its_end_date_is_reported():
    problems = faults(*files(A_CHILD, [episode("A", date(2019, 6, 1), dec=date(2019, 9, 1), rec="X1"),
                                       episode("A", date(2019, 9, 2))]))
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 2, "REC")]
    assert "no episode starting on 2019-09-01" in problems[0].message


def test_x1_is_not_followed_by_another_childs_episode():
    assert located([child("A"), child("B")], [episode("A", dec=date(2019, 9, 1), rec="X1"),
                                              episode("B", date(2019, 9, 1))]) == [("episodes", 2, "REC")]


def test_overlapping_episodes_are_reported_at_the_later_start():
    problems = faults(*files(A_CHILD, [episode("A", date(2019, 9, 1), dec=date(2020, 1, 1), rec="E4A"),
                                       episode("A", date(2019, 6, 1), dec=date(2019, 9, 2), rec="E13")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 2, "DECOM")]
    assert problems[0].message.startswith("DECOM (2019-09-01) falls in child \"A\"'s episode at row 3 "
                                          "(2019-06-01 to 2019-09-02)")


def test_an_episode_starting_inside_an_open_one_is_reported():
    assert located(A_CHILD, [episode("A", date(2019, 6, 1)),
                             episode("A", date(2019, 7, 1), dec=date(2019, 8, 1), rec="E4A")]) == [("episodes", 3, "DECOM")]


def test_a_second_open_episode_is_reported_on_its_dec():
    problems = faults(*files(A_CHILD, [episode("A", date(2019, 6, 1)), episode("A", date(2020, 6, 1))]))
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 3, "DEC")]
    assert "at most one open episode" in problems[0].message


def test_a_legal_status_outside_the_903_list_is_reported():
    problems = faults(*files(A_CHILD, [episode("A", ls="C3")]))
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 2, "LS")]
    assert problems[0].message.startswith('"C3" is not a 903 legal status code; use one of C1, C2, D1')


def test_a_placement_outside_the_903_list_is_reported():
    assert located(A_CHILD, [episode("A", place="P9")]) == [("episodes", 2, "PLACE")]


def test_a_reason_ceased_outside_the_903_list_is_reported():
    assert located(A_CHILD, [episode("A", dec=date(2020, 1, 1), rec="E99")]) == [("episodes", 2, "REC")]


def test_a_reason_new_outside_the_903_list_is_reported():
    assert located(A_CHILD, [episode("A", rne="X")]) == [("episodes", 2, "RNE")]


def test_a_blank_code_is_reported():
    problems = faults(*files(A_CHILD, [episode("A", place="")]))
    assert [(p.column, p.message) for p in problems] == [("PLACE", "PLACE is blank; every row gives the placement type code")]


def test_a_sex_outside_the_903_list_is_reported():
    problems = faults(*files([child("A", sex=3)], [episode("A")]))
    assert [(p.file, p.row, p.column, p.message) for p in problems] == [
        ("header", 2, "SEX", '"3" is not a 903 sex code; use 1 (male) or 2 (female)')]


def test_an_ethnicity_outside_the_903_list_is_reported():
    assert located([child("A", ethnic="WHITE")], [episode("A")]) == [("header", 2, "ETHNIC")]


def test_every_problem_of_both_files_is_reported_together():
    assert located([child("A", sex=0), child("B", dob="yesterday")],
                   [episode("A", ls="XX"), episode("B", place="P0", dec=date(2020, 1, 1))]) == [
        ("header", 2, "SEX"), ("header", 3, "DOB"), ("episodes", 2, "LS"), ("episodes", 3, "PLACE"),
        ("episodes", 3, "REC")]


def test_reading_stops_at_the_most_problems_asked_for():
    problems = faults(*files([child(str(n), sex=9) for n in range(50)], []), max_problems=10)
    assert len(problems) == 10


def test_a_cell_too_long_for_a_csv_reader_is_reported_at_its_line():
    header, episodes = files(A_CHILD, [episode("A")])
    problems = faults(header, episodes + b"A," + b"x" * 200_000 + b",S,C2,P1,,\n")
    assert [(p.file, p.row, p.column) for p in problems] == [("episodes", 3, None)]
    assert problems[0].message.startswith("the CSV cannot be read from here")
