/*
 * Overmax Pomoc Zdalna: the --demo and test stand-in for TeamViewer QuickSupport on Windows.
 * It is NOT TeamViewer and never opens a network connection.
 *
 * One program plays three parts, chosen by the name it runs under, as the real files are laid out:
 *   TeamViewerQS.exe (any other name)  copies itself to %TEMP%\TeamViewer\TeamViewer.exe (Windows'
 *                                      temporary folder: %TMP%, else %TEMP%), starts that
 *                                      and exits at once (the real QuickSupport unpacks the same way);
 *   TeamViewer.exe                     writes TeamViewer-format log lines to
 *                                      %APPDATA%\TeamViewer\TeamViewer15_Logfile.log (appending: one
 *                                      file holds several runs), starts the helper tv_x64.exe and lives
 *                                      until asked to close (WM_CLOSE, a console control event);
 *   tv_x64.exe                         the helper: ends when TeamViewer.exe ends, unless it was made to
 *                                      leave the process tree (OVERMAX_DEMO_BREAKAWAY).
 * It is a GUI-subsystem program (no console). TeamViewer.exe shows a small window saying DEMO with
 * "Your ID" and "Password" (OVERMAX_DEMO_PASSWORD, else random; shown, never logged); the helper has a
 * hidden one; WM_CLOSE reaches both. Where no window can be made (Wine without a display and without its
 * null graphics driver) it runs on without one, and its log says so.
 *
 * Options: environment variables, inherited from the launcher like the rest of its environment. The
 * Linux stand-in (launcher/demo/standin.py) reads the same names.
 *   OVERMAX_DEMO_ID              this computer's TeamViewer ID (9-10 digits; default: derived from the PID)
 *   OVERMAX_DEMO_SCENARIO        consultant (default: the --demo roster's consultant joins, starts
 *                                remote control, leaves); files (as consultant, then a file is written
 *                                to this computer 1 s after the join and one sent from it 2 s after;
 *                                "transfer" is the same); impostor (someone NOT on the roster joins);
 *                                unidentified (a supporter authenticates, no line names them);
 *                                nobody (no one joins)
 *   OVERMAX_DEMO_JOIN_WORDING    both (default: `AddParticipant ... type=6 name=N` and then
 *                                `CParticipantManagerBase participant N (ID [ID,S]) was added with the
 *                                role 6`, as TeamViewer 15.50 writes), add (the first only), role (the
 *                                second only)
 *   OVERMAX_DEMO_SUPPORTER_ID    the joining supporter's TeamViewer ID (default per scenario)
 *   OVERMAX_DEMO_SUPPORTER_NAME  their display name (default per scenario; any Unicode)
 *   OVERMAX_DEMO_JOIN_AFTER      seconds from start until the supporter joins (default 5; < 0: never)
 *   OVERMAX_DEMO_LEAVE_AFTER     seconds from start until they leave (default 40; < 0: never)
 *   OVERMAX_DEMO_IGNORE_CLOSE    1: ignore WM_CLOSE and console control events (must be killed)
 *   OVERMAX_DEMO_BREAKAWAY       job: the helper is started with CREATE_BREAKAWAY_FROM_JOB (where the
 *                                job refuses, it is started inside it and the log says so);
 *                                detach: the helper is a detached grandchild whose parent has exited;
 *                                both: the two together; the helper then lives on by itself
 *   OVERMAX_DEMO_SLOW_LOG        milliseconds to pause between pieces of 7 bytes of each log line
 *                                (a reader sees half lines and split characters); 0 = whole lines
 *   OVERMAX_DEMO_LOG_ENCODING    utf-8 (default), utf-16le (with a BOM at the start of a new file),
 *                                cp1250 (the Central European ANSI code page)
 *   OVERMAX_DEMO_PASSWORD        the password the window shows (default: random, 6 characters)
 *   OVERMAX_DEMO_VERSION         the build the log header names (default 15.0.0, written as
 *                                `Version:            15.0.0 DEMO (64-bit)`): 2 to 4 groups of digits
 *                                joined by dots, e.g. 14.7.1965 to play a build older than the
 *                                manifest's min_version; none: a header without a Version line
 *   OVERMAX_DEMO_MAX_SECONDS     every part ends by itself after this long (default 3600), so a stand-in
 *                                forgotten by a broken test does not live for ever
 * Exit codes: 0 done, 2 a bad option, 3 a file or process could not be made (a line on stderr says which).
 */
#define WIN32_LEAN_AND_MEAN
#define _CRT_RAND_S
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define LOG_NAME L"TeamViewer15_Logfile.log"
#define MAIN_NAME L"TeamViewer.exe"
#define HELPER_NAME L"tv_x64.exe"
/* The demo roster's consultant and the impostor; launcher/demo/scenario.py holds the same values. */
#define CONSULTANT_ID L"1987654320"
#define CONSULTANT_NAME L"\u0141ukasz \u017b\u00f3\u0142\u0107"   /* Polish letters as escapes: the source stays ASCII */
#define IMPOSTOR_ID L"1555000111"
#define IMPOSTOR_NAME L"Pomoc Techniczna"
#define PIECE_BYTES 7
#define TEXT_MAX 1024

enum encoding { ENC_UTF8, ENC_UTF16LE, ENC_CP1250 };

struct options {
    wchar_t tv_id[16];
    wchar_t scenario[16];
    wchar_t wording[8];
    wchar_t supporter_id[16];
    wchar_t supporter_name[128];
    wchar_t version[32]; /* empty: the header names no version */
    double join_after, leave_after, max_seconds;
    int ignore_close, breakaway_job, breakaway_detach;
    DWORD slow_ms;
    enum encoding encoding;
};

static struct options opt;
static HANDLE stop_event;
static HANDLE log_file = INVALID_HANDLE_VALUE;
static DWORD session_no;
static volatile LONG close_requests; /* polite requests to close so far (counted for the log) */

static void fail(int code, const char *what)
{
    fprintf(stderr, "standin: %s (error %lu)\n", what, (unsigned long)GetLastError());
    exit(code);
}

/* ---------------------------------------------------------------- options */

static int env(const wchar_t *name, wchar_t *out, DWORD size)
{
    DWORD n = GetEnvironmentVariableW(name, out, size);
    if (n == 0 || n >= size) {
        out[0] = L'\0';
        return 0;
    }
    return 1;
}

static double env_seconds(const wchar_t *name, double fallback)
{
    wchar_t buf[32], *end;
    double value;
    if (!env(name, buf, 32))
        return fallback;
    value = wcstod(buf, &end);
    if (end == buf || *end != L'\0') {
        fprintf(stderr, "standin: %ls is not a number\n", name);
        exit(2);
    }
    return value;
}

static int all_digits(const wchar_t *s, size_t min, size_t max)
{
    size_t n = wcslen(s), i;
    for (i = 0; i < n; i++)
        if (s[i] < L'0' || s[i] > L'9')
            return 0;
    return n >= min && n <= max;
}

/* 2 to 4 groups of 1-5 digits joined by dots (launcher/demo/scenario.py's VERSION_RE) */
static int is_version(const wchar_t *s)
{
    int groups = 0, digits = 0;
    for (;; s++) {
        if (*s >= L'0' && *s <= L'9') {
            if (++digits > 5)
                return 0;
        } else if (*s == L'.' || *s == L'\0') {
            if (digits == 0)
                return 0;
            groups++;
            digits = 0;
            if (*s == L'\0')
                break;
        } else {
            return 0;
        }
    }
    return groups >= 2 && groups <= 4;
}

static void read_options(void)
{
    wchar_t buf[32];
    int consultant;
    double slow;

    if (!env(L"OVERMAX_DEMO_ID", opt.tv_id, 16))
        swprintf(opt.tv_id, 16, L"1%09lu", (unsigned long)(GetCurrentProcessId() * 7919UL % 1000000000UL));
    if (!all_digits(opt.tv_id, 9, 10)) {
        fprintf(stderr, "standin: OVERMAX_DEMO_ID must be 9 or 10 digits\n");
        exit(2);
    }
    if (!env(L"OVERMAX_DEMO_SCENARIO", opt.scenario, 16))
        wcscpy(opt.scenario, L"consultant");
    if (!_wcsicmp(opt.scenario, L"transfer"))
        wcscpy(opt.scenario, L"files");
    consultant = !_wcsicmp(opt.scenario, L"consultant") || !_wcsicmp(opt.scenario, L"files");
    if (!consultant && _wcsicmp(opt.scenario, L"impostor") && _wcsicmp(opt.scenario, L"unidentified") &&
        _wcsicmp(opt.scenario, L"nobody")) {
        fprintf(stderr, "standin: OVERMAX_DEMO_SCENARIO must be consultant, files, impostor, unidentified "
                        "or nobody\n");
        exit(2);
    }
    if (!env(L"OVERMAX_DEMO_JOIN_WORDING", opt.wording, 8))
        wcscpy(opt.wording, L"both");
    if (_wcsicmp(opt.wording, L"both") && _wcsicmp(opt.wording, L"add") && _wcsicmp(opt.wording, L"role")) {
        fprintf(stderr, "standin: OVERMAX_DEMO_JOIN_WORDING must be both, add or role\n");
        exit(2);
    }
    if (!env(L"OVERMAX_DEMO_SUPPORTER_ID", opt.supporter_id, 16))
        wcscpy(opt.supporter_id, consultant ? CONSULTANT_ID : IMPOSTOR_ID);
    if (!all_digits(opt.supporter_id, 9, 10)) {
        fprintf(stderr, "standin: OVERMAX_DEMO_SUPPORTER_ID must be 9 or 10 digits\n");
        exit(2);
    }
    if (!env(L"OVERMAX_DEMO_SUPPORTER_NAME", opt.supporter_name, 128))
        wcscpy(opt.supporter_name, consultant ? CONSULTANT_NAME : IMPOSTOR_NAME);
    opt.join_after = _wcsicmp(opt.scenario, L"nobody") ? env_seconds(L"OVERMAX_DEMO_JOIN_AFTER", 5.0) : -1.0;
    opt.leave_after = env_seconds(L"OVERMAX_DEMO_LEAVE_AFTER", 40.0);
    opt.max_seconds = env_seconds(L"OVERMAX_DEMO_MAX_SECONDS", 3600.0);
    slow = env_seconds(L"OVERMAX_DEMO_SLOW_LOG", 0.0);
    if (slow < 0 || slow > 60000) {
        fprintf(stderr, "standin: OVERMAX_DEMO_SLOW_LOG must be 0 to 60000 milliseconds\n");
        exit(2);
    }
    opt.slow_ms = (DWORD)slow;
    opt.ignore_close = env(L"OVERMAX_DEMO_IGNORE_CLOSE", buf, 32) && wcscmp(buf, L"0") != 0;
    if (env(L"OVERMAX_DEMO_BREAKAWAY", buf, 32)) {
        opt.breakaway_job = !_wcsicmp(buf, L"job") || !_wcsicmp(buf, L"both");
        opt.breakaway_detach = !_wcsicmp(buf, L"detach") || !_wcsicmp(buf, L"both");
        if (!opt.breakaway_job && !opt.breakaway_detach && _wcsicmp(buf, L"none")) {
            fprintf(stderr, "standin: OVERMAX_DEMO_BREAKAWAY must be job, detach, both or none\n");
            exit(2);
        }
    }
    if (!env(L"OVERMAX_DEMO_VERSION", opt.version, 32))
        wcscpy(opt.version, L"15.0.0");
    if (!_wcsicmp(opt.version, L"none")) {
        opt.version[0] = L'\0';
    } else if (!is_version(opt.version)) {
        fprintf(stderr, "standin: OVERMAX_DEMO_VERSION must be a version like 15.61.3, or none\n");
        exit(2);
    }
    opt.encoding = ENC_UTF8;
    if (env(L"OVERMAX_DEMO_LOG_ENCODING", buf, 32)) {
        if (!_wcsicmp(buf, L"utf-16le") || !_wcsicmp(buf, L"utf-16"))
            opt.encoding = ENC_UTF16LE;
        else if (!_wcsicmp(buf, L"cp1250"))
            opt.encoding = ENC_CP1250;
        else if (_wcsicmp(buf, L"utf-8")) {
            fprintf(stderr, "standin: OVERMAX_DEMO_LOG_ENCODING must be utf-8, utf-16le or cp1250\n");
            exit(2);
        }
    }
}

/* ---------------------------------------------------------------- closing politely (or not) */

static BOOL WINAPI on_console_event(DWORD event)
{
    (void)event;
    InterlockedIncrement(&close_requests);
    if (!opt.ignore_close)
        SetEvent(stop_event);
    return TRUE; /* handled: without this the default handler ends the process */
}

static LRESULT CALLBACK window_proc(HWND window, UINT message, WPARAM wparam, LPARAM lparam)
{
    if (message == WM_CLOSE || message == WM_QUERYENDSESSION) {
        InterlockedIncrement(&close_requests);
        if (!opt.ignore_close)
            SetEvent(stop_event);
        return message == WM_QUERYENDSESSION ? !opt.ignore_close : 0;
    }
    return DefWindowProcW(window, message, wparam, lparam);
}

/* Makes the window that receives WM_CLOSE; returns it, or NULL with the error in *error. */
static HWND listen_for_close(const wchar_t *title, DWORD *error)
{
    WNDCLASSW wc;
    HWND window;
    ZeroMemory(&wc, sizeof wc);
    wc.lpfnWndProc = window_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
    wc.lpszClassName = L"OvermaxDemoQuickSupport";
    SetConsoleCtrlHandler(on_console_event, TRUE);
    *error = 0;
    if (!RegisterClassW(&wc) && GetLastError() != ERROR_CLASS_ALREADY_EXISTS) {
        *error = GetLastError();
        return NULL;
    }
    window = CreateWindowExW(0, wc.lpszClassName, title, WS_OVERLAPPED | WS_CAPTION | WS_SYSMENU | WS_MINIMIZEBOX,
                             CW_USEDEFAULT, CW_USEDEFAULT, 400, 240, NULL, NULL, wc.hInstance, NULL);
    if (!window) /* Wine without a display and without its null graphics driver: no window at all */
        *error = GetLastError() ? GetLastError() : ERROR_INVALID_FUNCTION;
    return window;
}

/* The ID grouped from the right as TeamViewer shows it: 1 660 388 656. */
static void group_id(const wchar_t *id, wchar_t *out)
{
    size_t n = wcslen(id), i, o = 0;
    for (i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = L' ';
        out[o++] = id[i];
    }
    out[o] = L'\0';
}

static void random_password(wchar_t *out, size_t length)
{
    static const wchar_t alphabet[] = L"abcdefghijkmnpqrstuvwxyz23456789";
    unsigned int value;
    size_t i;
    for (i = 0; i < length; i++) {
        if (rand_s(&value) != 0)
            fail(3, "no random numbers");
        out[i] = alphabet[value % (sizeof alphabet / sizeof alphabet[0] - 1)];
    }
    out[length] = L'\0';
}

/* A minimal QuickSupport window: DEMO, "Your ID" and "Password" as labelled read-only edits, which is
   how the launcher finds them through UI Automation on Windows. The password is shown, never logged. */
static void show_window(HWND window)
{
    wchar_t grouped[32], password[64];
    HINSTANCE instance = GetModuleHandleW(NULL);
    const DWORD label = WS_CHILD | WS_VISIBLE, edit = WS_CHILD | WS_VISIBLE | WS_BORDER | ES_READONLY;
    group_id(opt.tv_id, grouped);
    if (!env(L"OVERMAX_DEMO_PASSWORD", password, 64))
        random_password(password, 6);
    CreateWindowExW(0, L"STATIC", L"DEMO: to nie jest prawdziwy TeamViewer / not the real TeamViewer", label,
                    12, 10, 370, 20, window, NULL, instance, NULL);
    CreateWindowExW(0, L"STATIC", L"Your ID", label, 12, 40, 360, 18, window, NULL, instance, NULL);
    CreateWindowExW(0, L"EDIT", grouped, edit, 12, 60, 360, 26, window, (HMENU)20098, instance, NULL);
    CreateWindowExW(0, L"STATIC", L"Password", label, 12, 96, 360, 18, window, NULL, instance, NULL);
    CreateWindowExW(0, L"EDIT", password, edit, 12, 116, 360, 26, window, (HMENU)20099, instance, NULL);
    SecureZeroMemory(password, sizeof password);
    ShowWindow(window, SW_SHOWNOACTIVATE);
}

/* Waits up to `ms` for the stop event while answering window messages; returns 1 once asked to stop. */
static int wait_stop(DWORD ms)
{
    MSG msg;
    DWORD got = MsgWaitForMultipleObjects(1, &stop_event, FALSE, ms, QS_ALLINPUT);
    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    return got == WAIT_OBJECT_0 || WaitForSingleObject(stop_event, 0) == WAIT_OBJECT_0;
}

/* ---------------------------------------------------------------- files and processes */

static void folder_of(wchar_t *path)
{
    wchar_t *slash = wcsrchr(path, L'\\');
    if (slash)
        *slash = L'\0';
}

static void own_path(wchar_t *out)
{
    DWORD n = GetModuleFileNameW(NULL, out, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        fail(3, "cannot read its own path");
}

/* Starts `exe` with `args`; returns the process handle (the caller closes it) or NULL. */
static HANDLE start(const wchar_t *exe, const wchar_t *args, DWORD flags)
{
    wchar_t cmd[2 * MAX_PATH], dir[MAX_PATH];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    /* no standard handles for the child, as from Explorer: it must not hold its parent's pipes open */
    si.dwFlags = STARTF_USESTDHANDLES;
    swprintf(cmd, 2 * MAX_PATH, L"\"%ls\" %ls", exe, args);
    wcscpy(dir, exe);
    folder_of(dir);
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, flags, NULL, dir, &si, &pi))
        return NULL;
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

/* ---------------------------------------------------------------- the log */

static void write_bytes(const char *bytes, DWORD size)
{
    DWORD done = 0, piece, written;
    while (done < size) {
        piece = opt.slow_ms ? min(PIECE_BYTES, size - done) : size - done;
        if (!WriteFile(log_file, bytes + done, piece, &written, NULL))
            fail(3, "cannot write the log");
        done += written;
        if (opt.slow_ms && done < size)
            Sleep(opt.slow_ms);
    }
}

static void write_text(const wchar_t *text)
{
    char bytes[4 * TEXT_MAX];
    int size;
    if (opt.encoding == ENC_UTF16LE) {
        write_bytes((const char *)text, (DWORD)(wcslen(text) * sizeof(wchar_t)));
        return;
    }
    size = WideCharToMultiByte(opt.encoding == ENC_UTF8 ? CP_UTF8 : 1250, 0, text, -1, bytes, sizeof bytes,
                               NULL, NULL);
    if (size <= 0)
        fail(3, "cannot encode a log line");
    write_bytes(bytes, (DWORD)size - 1);
}

static void open_log(void)
{
    wchar_t folder[MAX_PATH], path[MAX_PATH];
    LARGE_INTEGER size;
    if (!env(L"APPDATA", folder, MAX_PATH))
        fail(3, "APPDATA is not set");
    wcscat(folder, L"\\TeamViewer");
    CreateDirectoryW(folder, NULL);
    swprintf(path, MAX_PATH, L"%ls\\%ls", folder, LOG_NAME);
    log_file = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (log_file == INVALID_HANDLE_VALUE)
        fail(3, "cannot open the log");
    if (opt.encoding == ENC_UTF16LE && GetFileSizeEx(log_file, &size) && size.QuadPart == 0)
        write_bytes("\xff\xfe", 2);
}

/* One line in TeamViewer's layout: `YYYY/MM/DD HH:MM:SS.mmm  PID  TID  TAG  message`. */
static void log_line(const wchar_t *tag, const wchar_t *format, ...)
{
    wchar_t message[TEXT_MAX - 64], line[TEXT_MAX];
    SYSTEMTIME t;
    va_list args;
    va_start(args, format);
    vswprintf(message, TEXT_MAX - 64, format, args);
    va_end(args);
    GetLocalTime(&t);
    swprintf(line, TEXT_MAX, L"%04u/%02u/%02u %02u:%02u:%02u.%03u  %lu  %9lu %2ls   %ls\n", t.wYear, t.wMonth,
             t.wDay, t.wHour, t.wMinute, t.wSecond, t.wMilliseconds, (unsigned long)GetCurrentProcessId(),
             (unsigned long)GetCurrentThreadId(), tag, message);
    write_text(line);
}

static void log_header(void)
{
    wchar_t text[TEXT_MAX], exe[MAX_PATH], version[64] = L"";
    SYSTEMTIME t;
    own_path(exe);
    log_line(L"0", L"Logger started.");
    GetLocalTime(&t);
    if (opt.version[0])
        swprintf(version, 64, L"Version:            %ls DEMO (64-bit)\n", opt.version);
    swprintf(text, TEXT_MAX,
             L"\nStart:              %04u/%02u/%02u %02u:%02u:%02u.%03u\n"
             L"%lsID:                 0\nLoglevel:           Info\n"
             L"OS:                 Windows (DEMO stand-in, not TeamViewer)\nAppPath:            %ls\n\n",
             t.wYear, t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond, t.wMilliseconds, version, exe);
    write_text(text);
}

static void log_online(void)
{
    log_line(L"S0", L"CKeepAliveClientClient::StartConnect(): Protocol 8 proxy -- IP router7.teamviewer.com");
    log_line(L"S0", L"KeepAliveSessionOutgoing::ConnectSuccessHandler(): "
                    L"KeepAliveConnect to router7.teamviewer.com successful");
    log_line(L"S0", L"Login::Identify::ManageLogin(): ID: %ls IC -2100253538 MIDv2", opt.tv_id);
}

static void log_join(void)
{
    wchar_t host[MAX_COMPUTERNAME_LENGTH + 1] = L"DEMO-PC";
    DWORD host_size = MAX_COMPUTERNAME_LENGTH + 1;
    GetComputerNameW(host, &host_size);
    log_line(L"S0", L"CommandHandlerRouting[2]::CreatePassiveSession(): incoming session via "
                    L"demo.router.teamviewer.invalid, protocol Tcp");
    log_line(L"D1", L"AuthenticationPasswordLogin_Passive::RunAuthenticationMethod: "
                    L"authentication using dynamic password was successful");
    if (!_wcsicmp(opt.scenario, L"unidentified"))
        return; /* authenticated, but no line names the supporter */
    if (_wcsicmp(opt.wording, L"role")) {
        log_line(L"S0", L"CPersistentParticipantManager::AddParticipant: [%ls,%lu] type=3 name=%ls", opt.tv_id,
                 (unsigned long)session_no, host);
        log_line(L"S0", L"CPersistentParticipantManager::AddParticipant: [%ls,%lu] type=6 name=%ls",
                 opt.supporter_id, (unsigned long)session_no + 1, opt.supporter_name);
    }
    if (_wcsicmp(opt.wording, L"add")) {
        log_line(L"S0", L"CParticipantManagerBase participant %ls (ID [%ls,%lu]) was added with the role 3", host,
                 opt.tv_id, (unsigned long)session_no);
        log_line(L"S0", L"CParticipantManagerBase participant %ls (ID [%ls,%lu]) was added with the role 6",
                 opt.supporter_name, opt.supporter_id, (unsigned long)session_no + 1);
    }
    log_line(L"D1", L"SessionManagerDesktop::InitiateDesktopSession: creating session with "
                    L"tvsessionprotocol::TVSessionID = %lu", (unsigned long)session_no);
}

/* The files scenario, worded as TeamViewer's file transfer lines (the same as the Linux stand-in). */
static void log_files(int step)
{
    wchar_t folder[MAX_PATH] = L"C:\\Users\\Klient";
    env(L"USERPROFILE", folder, MAX_PATH);
    if (step == 0) {
        log_line(L"G1", L"Write file %ls\\Pobrane\\sterownik-drukarki-demo.zip", folder);
        log_line(L"G1", L"Download from \"sterownik-drukarki-demo.zip\" to "
                        L"\"%ls\\Pobrane\\sterownik-drukarki-demo.zip\" (10.95 MB)", folder);
    } else {
        log_line(L"G1", L"Send file %ls\\Pobrane\\raport-systemu-demo.txt", folder);
    }
}

static void log_leave(void)
{
    log_line(L"S0", L"CPersistentParticipantManager::RemoveParticipant: [%ls,%lu]", opt.supporter_id,
             (unsigned long)session_no + 1);
    log_line(L"S0", L"CStreamManager[2]::ReceivedEndSession(): reason=1");
    log_line(L"S0", L"CPersistentParticipantManager::RemoveParticipant: [%ls,%lu]", opt.tv_id,
             (unsigned long)session_no);
}

/* ---------------------------------------------------------------- the three parts */

static int run_quicksupport(void)
{
    wchar_t self[MAX_PATH], folder[MAX_PATH], target[MAX_PATH];
    HANDLE child;
    DWORD n;
    own_path(self);
    /* Windows' temporary folder, as QuickSupport finds it: %TMP%, else %TEMP%, else the profile (with a
       trailing backslash) */
    n = GetTempPathW(MAX_PATH, folder);
    if (n == 0 || n >= MAX_PATH - 16)
        fail(3, "no temporary folder");
    wcscat(folder, L"TeamViewer");
    CreateDirectoryW(folder, NULL);
    swprintf(target, MAX_PATH, L"%ls\\%ls", folder, MAIN_NAME);
    if (!CopyFileW(self, target, FALSE))
        fail(3, "cannot unpack to the temporary folder's TeamViewer");
    child = start(target, L"", 0);
    if (!child)
        fail(3, "cannot start TeamViewer.exe");
    CloseHandle(child);
    return 0;
}

static void start_helper(void)
{
    wchar_t self[MAX_PATH], helper[MAX_PATH], args[32];
    HANDLE child = NULL;
    own_path(self);
    wcscpy(helper, self);
    folder_of(helper);
    wcscat(helper, L"\\" HELPER_NAME);
    if (!CopyFileW(self, helper, FALSE))
        fail(3, "cannot write the helper");
    /* a helper that leaves the tree does not end with its parent: that is what makes it a test */
    swprintf(args, 32, opt.breakaway_detach ? L"--via-detached %lu" : L"--parent %lu",
             (unsigned long)(opt.breakaway_job || opt.breakaway_detach ? 0 : GetCurrentProcessId()));
    if (opt.breakaway_job) {
        child = start(helper, args, CREATE_BREAKAWAY_FROM_JOB);
        if (!child)
            log_line(L"S0", L"DEMO: CREATE_BREAKAWAY_FROM_JOB refused (error %lu): helper started inside the job",
                     (unsigned long)GetLastError());
        else
            log_line(L"S0", L"DEMO: helper %ls started outside the job", HELPER_NAME);
    }
    if (!child)
        child = start(helper, args, 0);
    if (!child)
        fail(3, "cannot start the helper");
    CloseHandle(child);
}

static int run_teamviewer(void)
{
    ULONGLONG started = GetTickCount64();
    double elapsed;
    int online = 0, joined = 0, left = 0, files_step = 0;
    LONG closes_logged = 0;
    int files = !_wcsicmp(opt.scenario, L"files");
    DWORD no_window;
    HWND window;
    session_no = 100000000UL + GetCurrentProcessId() % 800000000UL;
    window = listen_for_close(L"TeamViewer QuickSupport (DEMO)", &no_window);
    if (window)
        show_window(window);
    open_log();
    log_header();
    if (!window)
        log_line(L"S0", L"DEMO: no window (error %lu): WM_CLOSE cannot reach it", (unsigned long)no_window);
    else
        log_line(L"S0", L"DEMO: a window takes WM_CLOSE%ls", opt.ignore_close ? L" (and ignores it)" : L"");
    start_helper();
    while (!wait_stop(50)) {
        elapsed = (double)(GetTickCount64() - started) / 1000.0;
        if (elapsed >= opt.max_seconds)
            break;
        if (close_requests != closes_logged) {
            closes_logged = close_requests;
            log_line(L"S0", L"DEMO: asked to close (%ld times so far), ignoring it", (long)closes_logged);
        }
        if (!online && elapsed >= 0.3) {
            online = 1;
            log_online();
        }
        if (online && !joined && opt.join_after >= 0 && elapsed >= opt.join_after) {
            joined = 1;
            log_join();
        }
        if (joined && !left && files && files_step < 2 && elapsed >= opt.join_after + 1 + files_step)
            log_files(files_step++);
        if (joined && !left && opt.leave_after >= 0 && elapsed >= opt.leave_after) {
            left = 1;
            log_leave();
        }
    }
    log_line(L"S0", L"DEMO: closing (%ld polite requests to close)", (long)close_requests);
    CloseHandle(log_file);
    return 0;
}

static int run_helper(int argc, wchar_t **argv)
{
    ULONGLONG started = GetTickCount64();
    HANDLE parent = NULL, grandchild;
    wchar_t self[MAX_PATH];
    if (argc >= 3 && !wcscmp(argv[1], L"--via-detached")) {
        /* the middle process: start the real helper detached from everything, then leave it an orphan */
        own_path(self);
        grandchild = start(self, L"--parent 0", DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
        if (!grandchild)
            fail(3, "cannot start the detached helper");
        CloseHandle(grandchild);
        return 0;
    }
    if (argc >= 3 && !wcscmp(argv[1], L"--parent") && wcstoul(argv[2], NULL, 10) != 0)
        parent = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)wcstoul(argv[2], NULL, 10));
    DWORD no_window;
    listen_for_close(L"TeamViewer helper (DEMO)", &no_window); /* hidden: only for WM_CLOSE */
    while (!wait_stop(100)) {
        if (parent && WaitForSingleObject(parent, 0) == WAIT_OBJECT_0)
            break;
        if ((double)(GetTickCount64() - started) / 1000.0 >= opt.max_seconds)
            break;
    }
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    wchar_t self[MAX_PATH], *name;
    own_path(self);
    name = wcsrchr(self, L'\\') ? wcsrchr(self, L'\\') + 1 : self;
    read_options();
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!stop_event)
        fail(3, "cannot make an event");
    if (!_wcsicmp(name, MAIN_NAME))
        return run_teamviewer();
    if (!_wcsicmp(name, HELPER_NAME))
        return run_helper(argc, argv);
    return run_quicksupport();
}
