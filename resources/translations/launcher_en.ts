<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="pl">
<context>
    <name>ActivityList</name>
    <message>
        <source>Co robi konsultant</source>
        <translation>What the consultant is doing</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Sprawdzanie połączenia z internetem</source>
        <translation>Checking the internet connection</translation>
    </message>
    <message>
        <source>Sprawdzamy, czy komputer może połączyć się z serwerami. To potrwa kilka sekund.</source>
        <translation>We are checking that the computer can reach the servers. This takes a few seconds.</translation>
    </message>
    <message>
        <source>Lista sprawdzeń połączenia</source>
        <translation>Connection checks</translation>
    </message>
    <message>
        <source>Anuluj</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Anuluj sprawdzanie połączenia</source>
        <translation>Cancel the connection check</translation>
    </message>
</context>
<context>
    <name>CompactPanel</name>
    <message>
        <source>Pomoc zdalna</source>
        <translation>Remote help</translation>
    </message>
    <message>
        <source>Stan pomocy zdalnej</source>
        <translation>Remote help status</translation>
    </message>
    <message>
        <source>Ostatnia czynność konsultanta</source>
        <translation>The consultant&apos;s latest action</translation>
    </message>
    <message>
        <source>Pokaż okno</source>
        <translation>Show window</translation>
    </message>
    <message>
        <source>Pokaż główne okno</source>
        <translation>Show the main window</translation>
    </message>
    <message>
        <source>Rozłącz</source>
        <translation>Disconnect</translation>
    </message>
    <message>
        <source>Rozłącz w małym panelu i zakończ pomoc zdalną</source>
        <translation>Disconnect in the small panel and end remote help</translation>
    </message>
</context>
<context>
    <name>ConfirmPrompt</name>
    <message>
        <source>Czy konsultant nadal Ci pomaga? Jeśli nikt nie odpowie, pomoc zdalna zakończy się za chwilę.</source>
        <translation>Is the consultant still helping you? If nobody answers, remote help will end shortly.</translation>
    </message>
    <message>
        <source>Tak</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Tak, konsultant nadal pomaga</source>
        <translation>Yes, the consultant is still helping</translation>
    </message>
    <message>
        <source>Rozłącz</source>
        <translation>Disconnect</translation>
    </message>
    <message>
        <source>Nie, rozłącz</source>
        <translation>No, disconnect</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Co zaakceptowałem(-am)?</source>
        <translation>What did I accept?</translation>
    </message>
    <message>
        <source>{when}: zaakceptowano Regulamin Pomocy Zdalnej z dnia {version} i potwierdzono rozmowę z konsultantem Overmax.</source>
        <translation>{when}: the Remote Help Terms of {version} were accepted and the call with an Overmax consultant was confirmed.</translation>
    </message>
    <message>
        <source>Na tym komputerze nie zapisano jeszcze akceptacji Regulaminu.</source>
        <translation>No acceptance of the Terms has been saved on this computer yet.</translation>
    </message>
    <message>
        <source>Zapisana zgoda</source>
        <translation>Saved consent</translation>
    </message>
    <message>
        <source>Treść Regulaminu</source>
        <translation>Terms text</translation>
    </message>
</context>
<context>
    <name>DownloadPage</name>
    <message>
        <source>Pobieranie i sprawdzanie TeamViewer QuickSupport</source>
        <translation>Downloading and checking TeamViewer QuickSupport</translation>
    </message>
    <message>
        <source>Pobieramy program TeamViewer QuickSupport i sprawdzamy, czy jest oryginalny. Program zostanie uruchomiony tylko wtedy, gdy przejdzie sprawdzenie.</source>
        <translation>We are downloading TeamViewer QuickSupport and checking that it is genuine. It will only be started if it passes the check.</translation>
    </message>
    <message>
        <source>Postęp pobierania</source>
        <translation>Download progress</translation>
    </message>
    <message>
        <source>Anuluj</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Łączenie z serwerem…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>{done} z {total}</source>
        <translation>{done} of {total}</translation>
    </message>
    <message>
        <source>, {speed}/s</source>
        <translation>, {speed}/s</translation>
    </message>
    <message>
        <source>, zostało ok. {seconds} s</source>
        <translation>, about {seconds} s left</translation>
    </message>
    <message>
        <source>Anulowanie…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>EndedPage</name>
    <message>
        <source>Pomoc zdalna zakończona</source>
        <translation>Remote help has ended</translation>
    </message>
    <message>
        <source>Połączenie zostało zakończone, a program TeamViewer QuickSupport zamknięty. Konsultant nie może już połączyć się z Twoim komputerem.</source>
        <translation>The connection has ended and TeamViewer QuickSupport has been closed. The consultant can no longer connect to your computer.</translation>
    </message>
    <message>
        <source>Zamknij</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Zamknij program</source>
        <translation>Close the program</translation>
    </message>
    <message>
        <source>Pomoc zdalna zakończyła się automatycznie po {minutes} minutach.</source>
        <translation>Remote help ended automatically after {minutes} minutes.</translation>
    </message>
    <message>
        <source>Pomoc zdalna zakończyła się, bo konsultant się nie połączył, a nikt nie odpowiedział na pytanie, czy nadal czekasz.</source>
        <translation>Remote help ended because the consultant did not connect and nobody answered whether you were still waiting.</translation>
    </message>
    <message>
        <source>Pomoc zdalna zakończyła się, bo nikt nie odpowiedział na pytanie, czy konsultant nadal pomaga.</source>
        <translation>Remote help ended because nobody answered whether the consultant is still helping.</translation>
    </message>
</context>
<context>
    <name>ErrorPage</name>
    <message>
        <source>Wystąpił problem</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>KOD BŁĘDU (przeczytaj go konsultantowi):</source>
        <translation>ERROR CODE (read it to the consultant):</translation>
    </message>
    <message>
        <source>Kod błędu</source>
        <translation>Error code</translation>
    </message>
    <message>
        <source>Opis błędu</source>
        <translation>Error description</translation>
    </message>
    <message>
        <source>Kto się połączył</source>
        <translation>Who connected</translation>
    </message>
    <message>
        <source>Informacja o potwierdzeniu sesji</source>
        <translation>About the session receipt</translation>
    </message>
    <message>
        <source>Ostatnia próba</source>
        <translation>Last attempt</translation>
    </message>
    <message>
        <source>Kopiuj raport dla konsultanta</source>
        <translation>Copy the report for the consultant</translation>
    </message>
    <message>
        <source>Kopiuj raport</source>
        <translation>Copy report</translation>
    </message>
    <message>
        <source>Zapisz raport</source>
        <translation>Save report</translation>
    </message>
    <message>
        <source>Zapisz raport do pliku</source>
        <translation>Save the report to a file</translation>
    </message>
    <message>
        <source>Spróbuj ponownie</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Zamknij</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Zamknij program</source>
        <translation>Close the program</translation>
    </message>
    <message>
        <source>Zatrzymano na Twoje polecenie</source>
        <translation>Stopped as you asked</translation>
    </message>
    <message>
        <source>Próba o {time}.</source>
        <translation>Attempt at {time}.</translation>
    </message>
    <message>
        <source>Próba nr {n} o {time}: ten sam problem co poprzednio.</source>
        <translation>Attempt {n} at {time}: the same problem as before.</translation>
    </message>
    <message>
        <source>Próba nr {n} o {time}: teraz inny problem (poprzednio {code}).</source>
        <translation>Attempt {n} at {time}: a different problem now (before: {code}).</translation>
    </message>
    <message>
        <source>bez nazwy</source>
        <translation>no name</translation>
    </message>
    <message>
        <source>nieznany</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>Połączyła się osoba: {name}, ID TeamViewer: {id}. Podaj te dane konsultantowi na infolinii.</source>
        <translation>The person who connected: {name}, TeamViewer ID: {id}. Give these details to the hotline consultant.</translation>
    </message>
    <message>
        <source>Nie udało się zapisać potwierdzenia sesji ({code}: {what}). Jego treść jest w raporcie dla konsultanta: kliknij „Kopiuj raport dla konsultanta” albo „Zapisz raport”.</source>
        <translation>The session receipt could not be saved ({code}: {what}). Its contents are in the report for the consultant: click “Copy the report for the consultant” or “Save report”.</translation>
    </message>
    <message>
        <source>Potwierdzenie sesji (bez hasła) zapisano w pliku: {path}</source>
        <translation>The session receipt (without the password) was saved in the file: {path}</translation>
    </message>
    <message>
        <source>Raport skopiowany. Możesz go wkleić w e-mailu do konsultanta.</source>
        <translation>Report copied. You can paste it into an e-mail to the consultant.</translation>
    </message>
    <message>
        <source>Raport zapisany w pliku: {path}</source>
        <translation>Report saved to the file: {path}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Krok</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>TRYB DEMONSTRACYJNY (DEMO): nic nie jest pobierane z internetu, a TeamViewer jest zastąpiony programem pokazowym.</source>
        <translation>DEMO MODE: nothing is downloaded from the internet and TeamViewer is replaced by a demonstration program.</translation>
    </message>
    <message>
        <source>Niestandardowa konfiguracja programu: {keys}</source>
        <translation>Non-standard program configuration: {keys}</translation>
    </message>
    <message>
        <source>Niestandardowa konfiguracja</source>
        <translation>Non-standard configuration</translation>
    </message>
    <message>
        <source>Infolinia</source>
        <translation>Hotline</translation>
    </message>
    <message>
        <source>Co zaakceptowałem(-am)?</source>
        <translation>What did I accept?</translation>
    </message>
    <message>
        <source>Pokaż zaakceptowany Regulamin</source>
        <translation>Show the accepted Terms</translation>
    </message>
    <message>
        <source>Infolinia techniczna Overmax: {phone}</source>
        <translation>Overmax technical hotline: {phone}</translation>
    </message>
    <message>
        <source>Infolinia techniczna Overmax: {phone}. {status}</source>
        <translation>Overmax technical hotline: {phone}. {status}</translation>
    </message>
    <message>
        <source>Regulamin</source>
        <translation>Terms</translation>
    </message>
    <message>
        <source>Sprawdzanie połączenia</source>
        <translation>Connection check</translation>
    </message>
    <message>
        <source>Pobieranie</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Pomoc zdalna</source>
        <translation>Remote help</translation>
    </message>
    <message>
        <source>Zakończenie</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>Krok {n} z {total}: {name}</source>
        <translation>Step {n} of {total}: {name}</translation>
    </message>
    <message>
        <source>Wystąpił problem</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>DEMO: {title}</source>
        <translation>DEMO: {title}</translation>
    </message>
</context>
<context>
    <name>ReceiptView</name>
    <message>
        <source>Potwierdzenie sesji (zapisane na tym komputerze):</source>
        <translation>Session receipt (saved on this computer):</translation>
    </message>
    <message>
        <source>Potwierdzenie sesji</source>
        <translation>Session receipt</translation>
    </message>
    <message>
        <source>Zapisz</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Zapisz kopię potwierdzenia</source>
        <translation>Save a copy of the receipt</translation>
    </message>
    <message>
        <source>Potwierdzenie sesji (NIE zostało zapisane na tym komputerze):</source>
        <translation>Session receipt (NOT saved on this computer):</translation>
    </message>
    <message>
        <source>Nie udało się zapisać potwierdzenia ({code}: {what}). Zapisz kopię przyciskiem „Zapisz” w innym miejscu, na przykład na pendrive.</source>
        <translation>The receipt could not be saved ({code}: {what}). Save a copy somewhere else with the “Save” button, for example on a USB stick.</translation>
    </message>
    <message>
        <source>Zapisano w: {path}</source>
        <translation>Saved in: {path}</translation>
    </message>
    <message>
        <source>Zapisz potwierdzenie sesji</source>
        <translation>Save the session receipt</translation>
    </message>
    <message>
        <source>Plik tekstowy (*.txt)</source>
        <translation>Text file (*.txt)</translation>
    </message>
    <message>
        <source>Kopia zapisana: {path}</source>
        <translation>Copy saved: {path}</translation>
    </message>
</context>
<context>
    <name>SessionPage</name>
    <message>
        <source>Pomoc zdalna</source>
        <translation>Remote help</translation>
    </message>
    <message>
        <source>Podaj konsultantowi przez telefon swój numer ID i hasło.</source>
        <translation>Read your ID and password to the consultant over the phone.</translation>
    </message>
    <message>
        <source>Twoje ID:</source>
        <translation>Your ID:</translation>
    </message>
    <message>
        <source>Hasło:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Twoje ID</source>
        <translation>Your ID</translation>
    </message>
    <message>
        <source>Hasło</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Kopiuj</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Kopiuj ID</source>
        <translation>Copy ID</translation>
    </message>
    <message>
        <source>Kopiuj hasło</source>
        <translation>Copy password</translation>
    </message>
    <message>
        <source>Przeliteruj</source>
        <translation>Spell it</translation>
    </message>
    <message>
        <source>Przeliteruj hasło</source>
        <translation>Spell the password</translation>
    </message>
    <message>
        <source>Hasło litera po literze</source>
        <translation>Password letter by letter</translation>
    </message>
    <message>
        <source>Pokaż okno TeamViewer</source>
        <translation>Show the TeamViewer window</translation>
    </message>
    <message>
        <source>Pokaż okno TeamViewer QuickSupport</source>
        <translation>Show the TeamViewer QuickSupport window</translation>
    </message>
    <message>
        <source>Jeśli TeamViewer poprosi o uprawnienia „Nagrywanie ekranu” i „Dostępność”, kliknij „Otwórz Ustawienia systemowe”, włącz przełącznik przy TeamViewer i wróć do tego okna.</source>
        <translation>If TeamViewer asks for the “Screen Recording” and “Accessibility” permissions, click “Open System Settings”, switch TeamViewer on and come back to this window.</translation>
    </message>
    <message>
        <source>Uprawnienia systemu macOS</source>
        <translation>macOS permissions</translation>
    </message>
    <message>
        <source>Stan połączenia</source>
        <translation>Connection status</translation>
    </message>
    <message>
        <source>Czy nadal czekasz na konsultanta? Jeśli nikt nie odpowie, pomoc zdalna zakończy się za chwilę.</source>
        <translation>Are you still waiting for the consultant? If nobody answers, remote help will end shortly.</translation>
    </message>
    <message>
        <source>Tak, czekam</source>
        <translation>Yes, I am waiting</translation>
    </message>
    <message>
        <source>Tak, nadal czekam</source>
        <translation>Yes, I am still waiting</translation>
    </message>
    <message>
        <source>Rozłącz</source>
        <translation>Disconnect</translation>
    </message>
    <message>
        <source>Rozłącz i zakończ pomoc zdalną</source>
        <translation>Disconnect and end remote help</translation>
    </message>
    <message>
        <source>Rozłącz kończy pomoc zdalną na dobre: konsultant nie połączy się ponownie. Skrót klawiszowy: {keys}.</source>
        <translation>Disconnect ends remote help for good: the consultant cannot connect again. Keyboard shortcut: {keys}.</translation>
    </message>
    <message>
        <source>Skopiowano ID.</source>
        <translation>ID copied.</translation>
    </message>
    <message>
        <source>Skopiowano hasło.</source>
        <translation>Password copied.</translation>
    </message>
</context>
<context>
    <name>SessionState</name>
    <message>
        <source>Uruchamianie TeamViewer</source>
        <translation>Starting TeamViewer</translation>
    </message>
    <message>
        <source>Łączenie z siecią TeamViewer</source>
        <translation>Connecting to the TeamViewer network</translation>
    </message>
    <message>
        <source>Czekamy na konsultanta</source>
        <translation>Waiting for the consultant</translation>
    </message>
    <message>
        <source>Konsultant połączony</source>
        <translation>Consultant connected</translation>
    </message>
    <message>
        <source>Konsultant zakończył sesję</source>
        <translation>The consultant has ended the session</translation>
    </message>
    <message>
        <source>Kończenie pomocy zdalnej</source>
        <translation>Ending remote help</translation>
    </message>
    <message>
        <source>Kończenie połączenia…</source>
        <translation>Ending the connection…</translation>
    </message>
    <message>
        <source>Uruchamianie TeamViewer QuickSupport…</source>
        <translation>Starting TeamViewer QuickSupport…</translation>
    </message>
    <message>
        <source>konsultant</source>
        <translation>the consultant</translation>
    </message>
    <message>
        <source>Konsultant Overmax {name} (zweryfikowany) jest połączony ({time})</source>
        <translation>Overmax consultant {name} (verified) is connected ({time})</translation>
    </message>
    <message>
        <source>Połączony: {name} (niezweryfikowany) ({time})</source>
        <translation>Connected: {name} (unverified) ({time})</translation>
    </message>
    <message>
        <source>Połączona osoba spoza Overmax: {name} ({time})</source>
        <translation>Connected: someone outside Overmax: {name} ({time})</translation>
    </message>
    <message>
        <source>Konsultant {name} jest połączony ({time})</source>
        <translation>Consultant {name} is connected ({time})</translation>
    </message>
    <message>
        <source>Konsultant zakończył sesję. Kliknij Rozłącz, aby zamknąć TeamViewer na dobre.</source>
        <translation>The consultant has ended the session. Click Disconnect to close TeamViewer for good.</translation>
    </message>
    <message>
        <source>Łączenie z siecią TeamViewer…</source>
        <translation>Connecting to the TeamViewer network…</translation>
    </message>
    <message>
        <source>Czekamy na połączenie konsultanta</source>
        <translation>Waiting for the consultant to connect</translation>
    </message>
    <message>
        <source>ID {id}: połączony {name} (niezweryfikowany) ({time})</source>
        <translation>ID {id}: {name} connected (unverified) ({time})</translation>
    </message>
    <message>
        <source>ID {id}: połączona osoba spoza Overmax {name} ({time})</source>
        <translation>ID {id}: someone outside Overmax connected: {name} ({time})</translation>
    </message>
    <message>
        <source>ID {id}: konsultant {name} połączony ({time})</source>
        <translation>ID {id}: consultant {name} connected ({time})</translation>
    </message>
    <message>
        <source>ID {id}: {status}</source>
        <translation>ID {id}: {status}</translation>
    </message>
    <message>
        <source>UWAGA: to nie jest konsultant Overmax. Kliknij Rozłącz i zadzwoń samodzielnie na 61 653 12 93.</source>
        <translation>WARNING: this is not an Overmax consultant. Click Disconnect and call 61 653 12 93 yourself.</translation>
    </message>
    <message>
        <source>Hasło odczytaj z okna TeamViewer QuickSupport: jest w polu „Hasło” tuż pod numerem „Twoje ID”. Przycisk „Pokaż okno TeamViewer” wyciąga to okno na wierzch.</source>
        <translation>Read the password from the TeamViewer QuickSupport window: it is in the “Password” field right below “Your ID”. The “Show the TeamViewer window” button brings that window to the front.</translation>
    </message>
    <message>
        <source>Odczytujemy hasło z okna TeamViewer…</source>
        <translation>Reading the password from the TeamViewer window…</translation>
    </message>
    <message>
        <source>TeamViewer jeszcze przygotowuje hasło (w jego oknie widać „-”). Pokażemy je tutaj, gdy tylko będzie gotowe.</source>
        <translation>TeamViewer is still preparing the password (its window shows “-”). It will appear here as soon as it is ready.</translation>
    </message>
    <message>
        <source>Na tym komputerze ustawiono stałe hasło TeamViewer (w jego oknie widać „****”). Podaj konsultantowi tylko swój numer ID: konsultant wie, co dalej.</source>
        <translation>A fixed TeamViewer password is set on this computer (its window shows “****”). Give the consultant only your ID: the consultant knows what to do next.</translation>
    </message>
    <message>
        <source>Ten program nie może odczytać hasła na tym komputerze i przestał próbować.</source>
        <translation>This program cannot read the password on this computer and has stopped trying.</translation>
    </message>
    <message>
        <source>Nadal próbujemy odczytać je sami, do godziny {time}.</source>
        <translation>We keep trying to read it ourselves until {time}.</translation>
    </message>
    <message>
        <source>odczytujemy…</source>
        <translation>reading…</translation>
    </message>
    <message>
        <source>jeszcze nie gotowe</source>
        <translation>not ready yet</translation>
    </message>
    <message>
        <source>stałe hasło</source>
        <translation>fixed password</translation>
    </message>
    <message>
        <source>w oknie TeamViewer</source>
        <translation>in the TeamViewer window</translation>
    </message>
</context>
<context>
    <name>TermsPage</name>
    <message>
        <source>Regulamin Pomocy Zdalnej</source>
        <translation>Remote Help Terms (Regulamin)</translation>
    </message>
    <message>
        <source>Uwaga: jeśli ktoś do Ciebie zadzwonił i poprosił o uruchomienie tego programu, rozłącz się i samodzielnie zadzwoń do Overmax pod numer {phone}. Overmax nigdy nie prosi o dane do banku ani o płatności.</source>
        <translation>Warning: if someone called you and asked you to run this program, hang up and call Overmax yourself at {phone}. Overmax never asks for bank details or payments.</translation>
    </message>
    <message>
        <source>Treść Regulaminu Pomocy Zdalnej</source>
        <translation>Remote Help Terms text</translation>
    </message>
    <message>
        <source>To tłumaczenie Regulaminu. Wiążący jest tekst polski.</source>
        <translation>This is a translation of the Terms and Conditions. The Polish text is binding.</translation>
    </message>
    <message>
        <source>Pokaż tekst polski</source>
        <translation>Show the Polish text</translation>
    </message>
    <message>
        <source>Pokaż wiążący tekst polski Regulaminu</source>
        <translation>Show the binding Polish text of the Terms and Conditions</translation>
    </message>
    <message>
        <source>Przeczytałem(-am) i akceptuję Regulamin Pomocy Zdalnej</source>
        <translation>I have read and accept the Remote Help Terms</translation>
    </message>
    <message>
        <source>Akceptuję Regulamin</source>
        <translation>I accept the Terms</translation>
    </message>
    <message>
        <source>Rozmawiam przez telefon z konsultantem Overmax pod numerem {phone}, pod który sam(a) zadzwoniłem(-am)</source>
        <translation>I am on the phone with an Overmax consultant at {phone}, a number I called myself</translation>
    </message>
    <message>
        <source>Potwierdzam rozmowę z konsultantem Overmax</source>
        <translation>I confirm the call with an Overmax consultant</translation>
    </message>
    <message>
        <source>Aby przejść dalej, zaznacz oba pola pod Regulaminem.</source>
        <translation>To go on, tick both boxes below the terms.</translation>
    </message>
    <message>
        <source>Co zrobić, aby przejść dalej</source>
        <translation>What to do to go on</translation>
    </message>
    <message>
        <source>Dalej</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Pokaż tłumaczenie</source>
        <translation>Show the translation</translation>
    </message>
</context>
</TS>
