"""Spelling aid for reading a password aloud: "duże A jak Adam, 7, małe k jak Karol"."""

from __future__ import annotations

POLISH = {
    "a": "Adam", "ą": "Ą jak w „mąka”", "b": "Barbara", "c": "Celina", "ć": "Ćma", "d": "Dorota",
    "e": "Ewa", "ę": "Ę jak w „ręka”", "f": "Franciszek", "g": "Genowefa", "h": "Henryk", "i": "Irena",
    "j": "Jadwiga", "k": "Karol", "l": "Ludwik", "ł": "Łukasz", "m": "Marek", "n": "Natalia",
    "ń": "Ń jak w „koń”", "o": "Olga", "ó": "Ósemka", "p": "Paweł", "q": "Quo vadis", "r": "Roman",
    "s": "Stefan", "ś": "Śliwka", "t": "Tadeusz", "u": "Urszula", "v": "Violetta", "w": "Wacław",
    "x": "Xawery", "y": "Ypsylon", "z": "Zygmunt", "ź": "Źrebię", "ż": "Żaba",
}
ENGLISH = {
    "a": "Alfa", "b": "Bravo", "c": "Charlie", "d": "Delta", "e": "Echo", "f": "Foxtrot", "g": "Golf",
    "h": "Hotel", "i": "India", "j": "Juliett", "k": "Kilo", "l": "Lima", "m": "Mike", "n": "November",
    "o": "Oscar", "p": "Papa", "q": "Quebec", "r": "Romeo", "s": "Sierra", "t": "Tango", "u": "Uniform",
    "v": "Victor", "w": "Whiskey", "x": "X-ray", "y": "Yankee", "z": "Zulu",
}
SYMBOLS = {
    "pl": {"!": "wykrzyknik", "@": "małpa", "#": "krzyżyk", "$": "dolar", "%": "procent", "&": "ampersand",
           "*": "gwiazdka", "-": "myślnik", "_": "podkreślnik", ".": "kropka", ",": "przecinek",
           "?": "pytajnik", "+": "plus", "=": "znak równości", "/": "ukośnik", ":": "dwukropek",
           ";": "średnik", " ": "spacja"},
    "en": {"!": "exclamation mark", "@": "at sign", "#": "hash", "$": "dollar", "%": "percent",
           "&": "ampersand", "*": "asterisk", "-": "dash", "_": "underscore", ".": "dot", ",": "comma",
           "?": "question mark", "+": "plus", "=": "equals", "/": "slash", ":": "colon", ";": "semicolon",
           " ": "space"},
}


def spell_char(ch: str, lang: str = "pl") -> str:
    if ch.isdigit():
        return ch
    lower = ch.lower()
    words = ENGLISH if lang == "en" else POLISH
    if lower in words:
        if lang == "en":
            case = "capital" if ch.isupper() else "small"
            return f"{case} {ch} as in {words[lower]}"
        case = "duże" if ch.isupper() else "małe"
        word = words[lower]
        return f"{case} {ch} ({word})" if " jak " in word else f"{case} {ch} jak {word}"
    return SYMBOLS.get(lang, SYMBOLS["pl"]).get(ch, f"„{ch}”" if lang != "en" else f"“{ch}”")


def spell(text: str, lang: str = "pl") -> str:
    """Each character named so it can be read aloud unambiguously, comma separated."""
    return ", ".join(spell_char(ch, lang) for ch in text)
