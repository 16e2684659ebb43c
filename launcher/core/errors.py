"""The one catalogue of every error a customer can meet.

Each code is stable: consultants say "read me the code under BŁĄD" and look it up. Every
`LauncherError` raised anywhere must use a code from `CATALOGUE` (a test enforces it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    step: str  # terms | check | download | session | app
    what_pl: str
    todo_pl: str
    what_en: str
    todo_en: str
    # False where trying again is the danger itself: after an impostor was cut off, a new QuickSupport
    # would show a new ID and password that could be read out to the same caller
    retry: bool = True
    # True where the customer chose it (Anuluj): the page says so without the alarm of a fault
    chosen: bool = False

    def what(self, lang: str = "pl") -> str:
        return self.what_en if lang == "en" else self.what_pl

    def todo(self, lang: str = "pl") -> str:
        return self.todo_en if lang == "en" else self.todo_pl


_CALL = "Powiedz konsultantowi ten kod."
_CALL_EN = "Tell the consultant this code."

_SPECS: list[ErrorSpec] = [
    # --- application / configuration
    ErrorSpec("CFG-INVALID", "app",
              "Plik konfiguracji programu jest nieprawidłowy.",
              "Uruchom program ponownie bez dodatkowych opcji albo " + _CALL.lower(),
              "The program's configuration file is invalid.",
              "Start the program again without extra options, or " + _CALL_EN.lower()),
    ErrorSpec("CFG-NOT-FOUND", "app",
              "Nie ma pliku konfiguracji wskazanego w opcji --config.",
              "Sprawdź ścieżkę do pliku albo uruchom program bez opcji --config.",
              "The configuration file given with --config does not exist.",
              "Check the file's path, or start the program without --config."),
    ErrorSpec("APP-NO-FILE", "app",
              "Nie ma pliku wskazanego w poleceniu.",
              "Sprawdź ścieżkę do pliku i uruchom polecenie ponownie.",
              "The file named in the command does not exist.",
              "Check the file's path and run the command again."),
    # `verify FILE`: the file is the operator's own; it is never deleted or run, so these say so instead of the
    # download's "was deleted" (DL-SIZE, DL-HASH, DL-PUBLISHER describe the launcher's own download)
    ErrorSpec("APP-VERIFY-MISMATCH", "app",
              "Plik wskazany w poleceniu nie jest plikiem QuickSupport z podpisanej listy Overmax.",
              "Nie uruchamiaj go; plik nie został usunięty. Pobierz QuickSupport poleceniem fetch.",
              "The file named in the command is not the QuickSupport file of Overmax's signed list.",
              "Do not run it; the file was not deleted. Download QuickSupport with the fetch command."),
    ErrorSpec("APP-VERIFY-PUBLISHER", "app",
              "Plik wskazany w poleceniu nie ma podpisu producenta TeamViewer.",
              "Nie uruchamiaj go; plik nie został usunięty. Pobierz QuickSupport poleceniem fetch.",
              "The file named in the command is not signed by TeamViewer.",
              "Do not run it; the file was not deleted. Download QuickSupport with the fetch command."),
    ErrorSpec("APP-FILE-UNREADABLE", "app",
              "Nie można odczytać pliku wskazanego w poleceniu.",
              # "spróbuj ponownie", not "uruchom polecenie": --config of the window's start names a file too
              "Zamknij program, który go używa (albo poczekaj, aż antywirus go sprawdzi), i spróbuj ponownie.",
              "The file named in the command cannot be read.",
              "Close the program that uses it (or wait until the antivirus has checked it) and try again."),
    # a full disk, but as often a folder the program may not write to (a read-only drive, an access list that
    # denies it, a locked-down profile): freeing space helps only the first, the consultant both
    ErrorSpec("APP-DATA-DIR", "app",
              "Program nie może zapisać swoich plików na tym komputerze.",
              "Jeśli na dysku brakuje miejsca, usuń niepotrzebne pliki i uruchom program ponownie. Jeśli miejsca "
              "jest dość albo błąd wróci, " + _CALL.lower(),
              "The program cannot save its files on this computer.",
              "If the disk is full, delete files you do not need and start the program again. If there is room "
              "on it, or the error comes back, " + _CALL_EN.lower()),
    ErrorSpec("APP-LOG", "app",
              "Program nie może zapisywać swojego dziennika pracy (pliku z zapisem zdarzeń).",
              "Pomoc zdalna działa dalej. Sprawdź, czy na dysku jest wolne miejsce. Jeśli konsultant poprosi "
              "o raport, powiedz mu ten kod.",
              "The program cannot write its log (the file where it records what happens).",
              "Remote help carries on. Check that the disk has free space. If the consultant asks for a "
              "report, tell them this code."),
    ErrorSpec("APP-INTERNAL", "app",
              "W programie wystąpił nieoczekiwany błąd.",
              "Kliknij „Spróbuj ponownie”. Jeśli błąd wróci, " + _CALL.lower(),
              "An unexpected error occurred in the program.",
              "Click “Try again”. If the error comes back, " + _CALL_EN.lower()),
    ErrorSpec("APP-USAGE", "app",
              "Program uruchomiono z nieznaną albo błędnie wpisaną opcją.",
              "Sprawdź polecenie (opcja --help pokazuje wszystkie) albo uruchom program bez dodatkowych opcji.",
              "The program was started with an unknown or mistyped option.",
              "Check the command (--help lists every option), or start the program without extra options."),
    ErrorSpec("APP-RUNNING", "app",
              "Program Pomoc Zdalna jest już uruchomiony.",
              "Przejdź do otwartego okna programu.",
              "Remote Help is already running.",
              "Switch to the program's open window."),
    # the window asked for where there is no desktop to show it on (a remote shell, a service); Qt would abort
    ErrorSpec("APP-NO-DISPLAY", "app",
              "Program nie może otworzyć okna: na tym komputerze nie ma teraz pulpitu.",
              "Uruchom program na pulpicie tego komputera (nie z konsoli zdalnej).",
              "The program cannot open its window: this computer has no desktop available right now.",
              "Start the program on this computer's desktop (not from a remote console)."),
    ErrorSpec("APP-OUTDATED", "app",
              "Ta kopia programu Pomoc Zdalna jest przestarzała i nie może już zostać użyta.",
              "Pobierz nową wersję programu ze strony Overmax (adres poniżej) i uruchom ją.",
              "This copy of Remote Help is out of date and can no longer be used.",
              "Download the new version of the program from the Overmax website (address below) and start it."),
    ErrorSpec("APP-RESOURCE", "app",
              "Brakuje części plików programu albo są uszkodzone.",
              "Pobierz program ponownie ze strony Overmax i zainstaluj go jeszcze raz. " + _CALL,
              "Some of the program's files are missing or damaged.",
              "Download the program again from the Overmax website and reinstall it. " + _CALL_EN),
    ErrorSpec("APP-DEMO-STANDIN", "app",
              "W tej wersji programu brakuje pokazowego programu QuickSupport, więc pokaz (--demo) nie ruszy.",
              "Zbuduj go poleceniem scripts/build_windows_standin.py albo uruchom pokaz z pełnej wersji programu.",
              "This copy of the program lacks the demo QuickSupport stand-in, so the demo (--demo) cannot start.",
              "Build it with scripts/build_windows_standin.py, or run the demo from a complete build."),
    # --- terms
    ErrorSpec("TERMS-RECORD", "terms",
              "Nie udało się zapisać Twojej zgody na Regulamin.",
              "Sprawdź, czy na dysku jest wolne miejsce, i spróbuj ponownie.",
              "Your acceptance of the terms could not be saved.",
              "Check that the disk has free space and try again."),
    ErrorSpec("TERMS-MISSING", "terms",
              "Brakuje tekstu Regulaminu w programie.",
              "Pobierz program ponownie ze strony Overmax.",
              "The terms text is missing from the program.",
              "Download the program again from the Overmax website."),
    # --- connectivity
    ErrorSpec("NET-OFFLINE", "check",
              "Komputer nie jest połączony z internetem.",
              "Sprawdź kabel sieciowy lub Wi-Fi i kliknij „Spróbuj ponownie”.",
              "The computer is not connected to the internet.",
              "Check the network cable or Wi-Fi and click “Try again”."),
    ErrorSpec("NET-DNS", "check",
              "Komputer nie może odnaleźć serwerów w internecie (błąd DNS).",
              "Sprawdź połączenie z internetem i kliknij „Spróbuj ponownie”.",
              "The computer cannot find servers on the internet (DNS error).",
              "Check the internet connection and click “Try again”."),
    ErrorSpec("NET-FILTERED", "check",
              "Filtr w tej sieci blokuje serwery potrzebne do pomocy zdalnej (nazwa serwera prowadzi donikąd).",
              "Poproś osobę, która zarządza tą siecią lub programem blokującym reklamy (np. Pi-hole), o "
              "odblokowanie teamviewer.com i serwera pobierania, albo połącz się z inną siecią.",
              "A filter on this network blocks the servers remote help needs (the server name leads nowhere).",
              "Ask whoever runs this network or its ad blocker (e.g. Pi-hole) to unblock teamviewer.com "
              "and the download server, or connect to another network."),
    ErrorSpec("NET-HTTPS", "check",
              "Serwer pobierania jest niedostępny z tego komputera.",
              "Kliknij „Spróbuj ponownie” za chwilę. Jeśli błąd wróci, " + _CALL.lower(),
              "The download server cannot be reached from this computer.",
              "Click “Try again” in a moment. If the error comes back, " + _CALL_EN.lower()),
    ErrorSpec("NET-TLS", "check",
              "Nie udało się nawiązać bezpiecznego połączenia z serwerem.",
              "Sprawdź datę i godzinę w komputerze. Jeśli są dobre, " + _CALL.lower(),
              "A secure connection to the server could not be made.",
              "Check the computer's date and time. If they are right, " + _CALL_EN.lower()),
    ErrorSpec("NET-PROXY", "check",
              "Serwer pośredniczący (proxy) nie przepuszcza połączenia.",
              _CALL,
              "The proxy server does not let the connection through.",
              _CALL_EN),
    ErrorSpec("NET-TV-BLOCKED", "check",
              "Sieć tego komputera blokuje połączenie z TeamViewer.",
              "Jeśli korzystasz z sieci w pracy, poproś administratora o odblokowanie. " + _CALL,
              "This computer's network blocks the connection to TeamViewer.",
              "If you are on a work network, ask its administrator to allow it. " + _CALL_EN),
    ErrorSpec("NET-CANCELLED", "check",
              "Sprawdzanie połączenia zostało przerwane.",
              "Kliknij „Spróbuj ponownie”, aby zacząć od nowa.",
              "The connection check was cancelled.",
              "Click “Try again” to start over.", chosen=True),
    ErrorSpec("NET-TIMEOUT", "download",
              "Serwer nie odpowiedział na czas.",
              "Sprawdź połączenie z internetem i kliknij „Spróbuj ponownie”.",
              "The server did not answer in time.",
              "Check the internet connection and click “Try again”."),
    ErrorSpec("NET-HOST", "download",
              "Pobieranie zostało skierowane na niedozwolony serwer i przerwane.",
              _CALL,
              "The download was sent to a server that is not allowed, and was stopped.",
              _CALL_EN),
    ErrorSpec("NET-INSECURE", "download",
              "Odrzucono niezabezpieczone połączenie (bez HTTPS).",
              _CALL,
              "An insecure (non-HTTPS) connection was refused.",
              _CALL_EN),
    ErrorSpec("NET-HTTP", "download",
              "Serwer odpowiedział błędem.",
              "Kliknij „Spróbuj ponownie” za chwilę. Jeśli błąd wróci, " + _CALL.lower(),
              "The server answered with an error.",
              "Click “Try again” in a moment. If the error comes back, " + _CALL_EN.lower()),
    # --- manifest
    ErrorSpec("MAN-NOKEY", "download",
              "Ta wersja programu nie ma klucza do sprawdzania pobieranych plików, więc niczego nie pobierze.",
              "Pobierz program ponownie ze strony Overmax. " + _CALL,
              "This build has no key to check downloads with, so it will not download anything.",
              "Download the program again from the Overmax website. " + _CALL_EN),
    ErrorSpec("MAN-SIG", "download",
              "Lista plików do pobrania nie ma prawidłowego podpisu Overmax.",
              "Nic nie zostało uruchomione. " + _CALL,
              "The download list does not carry a valid Overmax signature.",
              "Nothing was run. " + _CALL_EN),
    ErrorSpec("MAN-FORMAT", "download",
              "Lista plików do pobrania jest uszkodzona.",
              "Nic nie zostało uruchomione. " + _CALL,
              "The download list is damaged.",
              "Nothing was run. " + _CALL_EN),
    ErrorSpec("MAN-EXPIRED", "download",
              "Lista plików do pobrania jest przeterminowana albo zegar komputera jest źle ustawiony.",
              "Sprawdź datę i godzinę w komputerze. Jeśli są dobre, " + _CALL.lower(),
              "The download list has expired, or the computer's clock is wrong.",
              "Check the computer's date and time. If they are right, " + _CALL_EN.lower()),
    ErrorSpec("MAN-ROLLBACK", "download",
              "Serwer podał starszą listę plików niż ta, którą komputer już zna.",
              "Nic nie zostało uruchomione. " + _CALL,
              "The server offered an older download list than this computer has already seen.",
              "Nothing was run. " + _CALL_EN),
    ErrorSpec("MAN-STATE", "download",
              "Zapisany na tym komputerze stan pobierania jest uszkodzony, więc program niczego nie pobierze.",
              "Nic nie zostało uruchomione. " + _CALL,
              "The download state saved on this computer is damaged, so the program will not download anything.",
              "Nothing was run. " + _CALL_EN),
    ErrorSpec("MAN-STATE-BUSY", "download",
              "Inna kopia programu zapisuje właśnie stan pobierania na tym komputerze i nie skończyła w porę.",
              "Zamknij inne okna programu Pomoc Zdalna i spróbuj ponownie.",
              "Another copy of the program is saving the download state on this computer and did not finish in time.",
              "Close the program's other windows and try again."),
    ErrorSpec("MAN-PLATFORM", "download",
              "Pomoc zdalna nie jest jeszcze dostępna dla tego systemu operacyjnego.",
              _CALL,
              "Remote help is not available for this operating system yet.",
              _CALL_EN),
    # --- download and verification
    ErrorSpec("DL-HASH", "download",
              "Pobrany plik różni się od oryginału i został usunięty.",
              "Nic nie zostało uruchomione. Kliknij „Spróbuj ponownie”. Jeśli błąd wróci, " + _CALL.lower(),
              "The downloaded file differs from the original and was deleted.",
              "Nothing was run. Click “Try again”. If the error comes back, " + _CALL_EN.lower()),
    ErrorSpec("DL-SIZE", "download",
              "Pobrany plik ma inny rozmiar niż oryginał i został usunięty.",
              "Nic nie zostało uruchomione. Kliknij „Spróbuj ponownie”.",
              "The downloaded file has a different size than the original and was deleted.",
              "Nothing was run. Click “Try again”."),
    ErrorSpec("DL-INTERRUPTED", "download",
              "Pobieranie zostało przerwane.",
              "Sprawdź połączenie z internetem i kliknij „Spróbuj ponownie”.",
              "The download was interrupted.",
              "Check the internet connection and click “Try again”."),
    ErrorSpec("DL-CANCELLED", "download",
              "Pobieranie zostało anulowane.",
              "Kliknij „Spróbuj ponownie”, aby zacząć od nowa.",
              "The download was cancelled.",
              "Click “Try again” to start over.", chosen=True),
    ErrorSpec("DL-DISK-FULL", "download",
              "Na dysku komputera zabrakło miejsca.",
              "Usuń niepotrzebne pliki i kliknij „Spróbuj ponownie”.",
              "The computer's disk is full.",
              "Delete files you do not need and click “Try again”."),
    ErrorSpec("DL-READONLY", "download",
              "Program nie może zapisać pobieranego pliku.",
              _CALL,
              "The program cannot save the file it downloads.",
              _CALL_EN),
    ErrorSpec("DL-LOCKED", "download",
              "Pobrany plik jest zablokowany, prawdopodobnie przez program antywirusowy.",
              "Odczekaj chwilę i kliknij „Spróbuj ponownie”.",
              "The downloaded file is locked, probably by an antivirus program.",
              "Wait a moment and click “Try again”."),
    ErrorSpec("DL-TAMPERED", "download",
              "Zapisany plik został zmieniony po pobraniu i został usunięty.",
              "Nic nie zostało uruchomione. Kliknij „Spróbuj ponownie”. " + _CALL,
              "The saved file was changed after download and was deleted.",
              "Nothing was run. Click “Try again”. " + _CALL_EN),
    ErrorSpec("DL-PUBLISHER", "download",
              "Pobrany plik nie ma podpisu producenta TeamViewer i został usunięty.",
              "Nic nie zostało uruchomione. " + _CALL,
              "The downloaded file is not signed by TeamViewer and was deleted.",
              "Nothing was run. " + _CALL_EN),
    # --- QuickSupport
    ErrorSpec("QS-UNPACK", "session",
              "Nie udało się przygotować programu TeamViewer QuickSupport.",
              "Kliknij „Spróbuj ponownie”. Jeśli błąd wróci, " + _CALL.lower(),
              "TeamViewer QuickSupport could not be prepared.",
              "Click “Try again”. If the error comes back, " + _CALL_EN.lower()),
    # QuickSupport for Windows unpacks itself into a temporary folder of its own, which the launcher makes inside the
    # folder it prepared QuickSupport in (launch.ensure_private_temp; never the user's %TEMP%): it could not be
    # made or written to, or its drive (the data folder's; a drive of its own where config's data_dir says so)
    # has no room for what QuickSupport unpacks. Not QS-DISK-FULL: that one says a connection was ended
    ErrorSpec("QS-TEMP", "session",
              "Program nie może przygotować folderu, w którym TeamViewer QuickSupport się rozpakowuje: nie da się "
              "go utworzyć albo na jego dysku brakuje miejsca.",
              "Usuń niepotrzebne pliki (na przykład opróżnij Kosz) i kliknij „Spróbuj ponownie”. Jeśli błąd wróci, "
              + _CALL.lower(),
              "The program cannot prepare the folder TeamViewer QuickSupport unpacks itself into: it cannot be "
              "created, or its drive has no room left.",
              "Delete files you do not need (for example, empty the Recycle Bin) and click “Try again”. If the error "
              "comes back, " + _CALL_EN.lower()),
    ErrorSpec("QS-NOEXEC", "session",
              "Ten komputer nie pozwala uruchamiać programów z folderu danych Pomocy Zdalnej.",
              "Powiedz konsultantowi ten kod: pomoże wybrać inny folder.",
              "This computer does not allow programs to run from Remote Help's data folder.",
              "Tell the consultant this code: they will help you choose another folder.",
              retry=False),
    ErrorSpec("QS-START", "session",
              "Nie udało się uruchomić programu TeamViewer QuickSupport.",
              "Kliknij „Spróbuj ponownie”. Jeśli błąd wróci, " + _CALL.lower(),
              "TeamViewer QuickSupport could not be started.",
              "Click “Try again”. If the error comes back, " + _CALL_EN.lower()),
    ErrorSpec("QS-NO-ID", "session",
              "TeamViewer QuickSupport nie podał numeru ID na czas.",
              "Odczytaj ID z okna TeamViewer albo kliknij „Spróbuj ponownie”.",
              "TeamViewer QuickSupport did not report its ID in time.",
              "Read the ID from the TeamViewer window, or click “Try again”."),
    ErrorSpec("QS-EXITED", "session",
              "Program TeamViewer QuickSupport zamknął się.",
              "Jeśli nie został zamknięty celowo, kliknij „Spróbuj ponownie”.",
              "TeamViewer QuickSupport has closed.",
              "If it was not closed on purpose, click “Try again”."),
    # the TeamViewer log is how the launcher sees who connects: where it cannot grow, the session cannot go on
    ErrorSpec("QS-DISK-FULL", "session",
              "Na dysku komputera zabrakło miejsca, więc program zakończył połączenie z konsultantem: bez "
              "wolnego miejsca nie może sprawdzać, kto jest połączony.",
              "Usuń niepotrzebne pliki (na przykład opróżnij Kosz) i kliknij „Spróbuj ponownie”.",
              "The computer's disk is full, so the program ended the connection with the consultant: without "
              "free space it cannot check who is connected.",
              "Delete files you do not need (for example, empty the Recycle Bin) and click “Try again”."),
    ErrorSpec("QS-ALREADY", "session",
              "Na tym komputerze działa już inny program TeamViewer.",
              "Zamknij inne okna TeamViewer i kliknij „Spróbuj ponownie”.",
              "Another TeamViewer program is already running on this computer.",
              "Close the other TeamViewer windows and click “Try again”."),
    ErrorSpec("SEC-UNKNOWN-SUPPORTER", "session",
              "Połączyła się osoba spoza Overmax, więc połączenie zostało zakończone.",
              "Zadzwoń samodzielnie na infolinię Overmax 61 653 12 93 i podaj konsultantowi ten kod.",
              "Someone outside Overmax connected, so the connection was ended.",
              "Call the Overmax hotline 61 653 12 93 yourself and tell the consultant this code.",
              retry=False),
    # no "try again": the same signed manifest would start the same build again
    ErrorSpec("QS-OUTDATED", "session",
              "Uruchomiony program TeamViewer QuickSupport jest w zbyt starej wersji albo nie dało się "
              "sprawdzić jego wersji, więc program go zamknął.",
              "Nie uruchamiaj go ponownie. Zadzwoń na infolinię Overmax 61 653 12 93 i powiedz konsultantowi "
              "ten kod.",
              "The TeamViewer QuickSupport that started is too old, or its version could not be checked, so "
              "the program closed it.",
              "Do not start it again. Call the Overmax hotline 61 653 12 93 and tell the consultant this code.",
              retry=False),
    ErrorSpec("QS-KILL", "session",
              "Nie udało się całkowicie zamknąć programu TeamViewer QuickSupport.",
              "Uruchom komputer ponownie, aby mieć pewność, że połączenie jest zakończone. " + _CALL,
              "TeamViewer QuickSupport could not be closed completely.",
              "Restart the computer to be sure the connection is over. " + _CALL_EN),
]

CATALOGUE: dict[str, ErrorSpec] = {spec.code: spec for spec in _SPECS}


class LauncherError(Exception):
    """A failure the customer can meet: a catalogue code plus a technical detail for the report."""

    def __init__(self, code: str, detail: str = "", *, url: str = "") -> None:
        if code not in CATALOGUE:
            raise ValueError(f"unknown error code {code!r}: add it to launcher.core.errors")
        from launcher.core.redaction import redact  # every detail reaches a log, a report or a console

        detail = redact(detail)
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.url = url  # where the customer can go next (APP-OUTDATED: the current launcher), or ""

    @property
    def spec(self) -> ErrorSpec:
        return CATALOGUE[self.code]

    def sentence(self, lang: str = "pl") -> str:
        return self.spec.what(lang)


def spec(code: str) -> ErrorSpec:
    return CATALOGUE[code]
