; Overmax Pomoc Zdalna: per-user Windows installer (no administrator rights), Polish and English.
; Built by installer/windows/build.sh; by hand (paths may use / on every OS):
;   makensis /DVERSION=0.1.0 /DSOURCE_DIR=dist/OvermaxPomocZdalna /DOUTFILE=dist/setup.exe installer.nsi
; Optional: /DSIGN_CMD="<command>" signs the installer and the uninstaller; makensis runs it with the
; file path appended (see sign.sh: Authenticode via signtool, driven by environment variables).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "pass /DVERSION=x.y.z"
!endif
!ifndef SOURCE_DIR
  !error "pass /DSOURCE_DIR=<the PyInstaller onedir folder>"
!endif
!ifndef OUTFILE
  !define OUTFILE "OvermaxPomocZdalna-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "${__FILEDIR__}/../../resources/icons/app.ico"
!endif

!define APP_NAME "Overmax Pomoc Zdalna"
!define APP_ID "OvermaxPomocZdalna"
!define EXE "${APP_ID}.exe"
!define CLI_EXE "${APP_ID}-cli.exe"  ; the console twin for the commands (build_spec.spec)
!define PUBLISHER "BrandLineGroup sp. z o.o. (Overmax)"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define APP_KEY "Software\Overmax\${APP_ID}"
; platformdirs(appname=OvermaxPomocZdalna, appauthor=Overmax, roaming=False): data, Cache (the downloaded
; and unpacked QuickSupport) and Logs all live under this one folder.
!define USER_DATA "$LOCALAPPDATA\Overmax\${APP_ID}"

!ifdef SIGN_CMD
  !finalize '${SIGN_CMD} "%1"' = 0
  !uninstfinalize '${SIGN_CMD} "%1"' = 0
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${APP_KEY}" "InstallDir"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP_NAME} - instalator"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_CHECKED

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default; Windows set to English gets English.
!insertmacro MUI_LANGUAGE "Polish"
!insertmacro MUI_LANGUAGE "English"

LangString MsgRunning ${LANG_POLISH} "Program ${APP_NAME} jest uruchomiony. Zamknij jego okno i kliknij OK."
LangString MsgRunning ${LANG_ENGLISH} "${APP_NAME} is running. Close its window and click OK."
LangString MsgStillRunning ${LANG_POLISH} "Program ${APP_NAME} nadal działa. Zamknij go i uruchom instalator ponownie."
LangString MsgStillRunning ${LANG_ENGLISH} "${APP_NAME} is still running. Close it and run this again."

; An exe that is running cannot be opened for writing: that is how we notice it without extra plugins.
!macro WAIT_UNTIL_CLOSED UN
Function ${UN}WaitUntilClosed
  IfFileExists "$INSTDIR\${EXE}" 0 gui_done
  retry:
    ClearErrors
    FileOpen $0 "$INSTDIR\${EXE}" a
    IfErrors 0 closed
    MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "$(MsgRunning)" /SD IDCANCEL IDOK retry
    MessageBox MB_OK|MB_ICONSTOP "$(MsgStillRunning)" /SD IDOK
    Abort
  closed:
    FileClose $0
  gui_done:
  IfFileExists "$INSTDIR\${CLI_EXE}" 0 done
  cli_retry:
    ClearErrors
    FileOpen $0 "$INSTDIR\${CLI_EXE}" a
    IfErrors 0 cli_closed
    MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "$(MsgRunning)" /SD IDCANCEL IDOK cli_retry
    MessageBox MB_OK|MB_ICONSTOP "$(MsgStillRunning)" /SD IDOK
    Abort
  cli_closed:
    FileClose $0
  done:
FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

Section "Install"
  SetShellVarContext current
  Call WaitUntilClosed
  ; A previous version's files would linger in the onedir folder: start clean.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKCU "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Call un.WaitUntilClosed
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  ; Only what we installed: $INSTDIR may be shared if someone moved things around.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  ; The cache with every QuickSupport we downloaded and unpacked, our logs and the consent record.
  RMDir /r "${USER_DATA}"
  RMDir "$LOCALAPPDATA\Overmax"
  ; QuickSupport unpacked itself inside the cache above (its own Temp); %TEMP%\TeamViewer and %APPDATA%\TeamViewer
  ; belong to whatever else runs TeamViewer on this computer and are left alone.

  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
  DeleteRegKey /ifempty HKCU "Software\Overmax"
SectionEnd
