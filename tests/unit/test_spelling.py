from launcher.core.spelling import spell


def test_polish_spelling_names_case_and_keeps_digits():
    assert spell("A7k") == "duże A jak Adam, 7, małe k jak Karol"


def test_english_spelling():
    assert spell("A7k", "en") == "capital A as in Alfa, 7, small k as in Kilo"


def test_symbols_and_unknown_characters_are_named_not_dropped():
    assert spell("a@#") == "małe a jak Adam, małpa, krzyżyk"
    assert spell("€") == "„€”"
    assert len(spell("xyzŁ").split(", ")) == 4
