; Inno Setup 6.2 script: wraps the one-folder build into kwc-desktop-setup-<version>.exe, a per-user
; install (no administrator rights) in Japanese or English, as the system's display language says.
;
; Built and tested under Wine by scripts/test-windows.sh (install, upgrade, uninstall; the release:
; scripts/release-windows.sh). On Windows, after `pyinstaller --noconfirm --clean build_installer.spec`:
;   iscc /DAppVersion=0.1.0 installer\windows\kwc-desktop.iss
; This file is UTF-8 with a BOM: Inno Setup reads it as Unicode only so (the Japanese texts below).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; A numeric a.b.c (the PE version resource takes no letters): "0.1.0rc1" -> "0.1.0".
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\kwc-desktop"
#endif
; lzma2/max for what users get; the tests' second setup (the upgrade) may be built faster.
#ifndef Compression
  #define Compression "lzma2/max"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; One AppId for every version: an upgrade replaces the install in place (one uninstall entry).
AppId={{6C0F2A4E-4B1D-4E58-9A1C-5B0D2E7A3C11}
AppName=kwc-desktop
AppVerName=kwc-desktop {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=kwc-desktop
AppCopyright=kwc-desktop
VersionInfoVersion={#NumericVersion}
VersionInfoProductVersion={#NumericVersion}
VersionInfoProductName=KWC → Twilio Japan transfer guide
VersionInfoCompany=kwc-desktop
VersionInfoDescription=kwc-desktop setup
UninstallDisplayName=kwc-desktop (KWC → Twilio Japan)
UninstallDisplayIcon={app}\kwc-desktop.exe
; Per user by default ({autopf} is then %LOCALAPPDATA%\Programs): no administrator rights needed, nothing
; written outside the profile. The dialog (and /ALLUSERS) still lets an administrator install for everyone.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\kwc-desktop
DefaultGroupName=kwc-desktop
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; The app holds this mutex while it runs (kwc_desktop/services/instance.py): setup and uninstall wait
; for it to be closed rather than replace files in use.
AppMutex=kwc-desktop-running
SetupMutex=kwc-desktop-setup
CloseApplications=yes
OutputDir={#OutputDir}
OutputBaseFilename=kwc-desktop-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\kwc-desktop.ico
Compression={#Compression}
SolidCompression=yes
WizardStyle=modern
; The language follows the system's display language (Japanese Windows: Japanese); the dialog shows only
; when it matches neither.
LanguageDetectionMethod=uilanguage
ShowLanguageDialog=auto
ArchitecturesAllowed=x64
ArchitecturesInstallIn64BitMode=x64

[Languages]
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Messages]
; The last pages say what stays: the user's progress and the keyring entries are theirs.
ja.FinishedLabel=ご使用のコンピューターに [name] がセットアップされました。アプリケーションを実行するにはインストールされたショートカットを選択してください。%n%n進み具合 (AppData\Roaming\kwc-desktop) と Windows 資格情報マネージャーの SID・トークンは、アンインストールしても消えません。
en.FinishedLabel=Setup has finished installing [name] on your computer. The application may be launched by selecting the installed shortcuts.%n%nYour progress (AppData\Roaming\kwc-desktop) and the SIDs and tokens in Windows Credential Manager stay when the app is uninstalled.
ja.UninstalledAll=%1 はご使用のコンピューターから正常に削除されました。%n%n進み具合 (AppData\Roaming\kwc-desktop) と Windows 資格情報マネージャーの SID・トークンは残してあります。不要なら手動で削除してください。
en.UninstalledAll=%1 was successfully removed from your computer.%n%nYour progress (AppData\Roaming\kwc-desktop) and the SIDs and tokens in Windows Credential Manager were kept; delete them yourself if you no longer need them.

[CustomMessages]
ja.ShortcutName=KWC → Twilio Japan 移管ガイド
en.ShortcutName=KWC → Twilio Japan transfer guide

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:ShortcutName}"; Filename: "{app}\kwc-desktop.exe"
Name: "{autodesktop}\{cm:ShortcutName}"; Filename: "{app}\kwc-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\kwc-desktop.exe"; Description: "{cm:LaunchProgram,{cm:ShortcutName}}"; Flags: nowait postinstall skipifsilent

; Uninstall removes only what setup installed: %APPDATA%\kwc-desktop and the Credential Manager entries stay.

[Code]
// An upgrade is all or nothing. The previous version's program files are set aside (renamed, which takes no
// disk space and cannot half-fail) before the new ones are copied, and thrown away only once the new version
// is in place: nothing of N stays that N+1 no longer has. Should the copy fail (a full disk, a file that
// cannot be written, the user's Cancel), Inno Setup's rollback deletes what it copied and the set-aside
// version is put back: the app is either fully N or fully N+1, and the uninstall entry says which. The
// user's data is never here (it is in %APPDATA%).
const
  PreviousSuffix = '.previous';

var
  SetAsideDone: Boolean;
  Installed: Boolean;

function ProgramPart(Index: Integer): String;
begin
  case Index of
    0: Result := '_internal';
    1: Result := 'kwc-desktop.exe';
  else
    Result := 'kwc-desktop-cli.exe';
  end;
end;

procedure RemovePath(Path: String);
begin
  if DirExists(Path) then
    DelTree(Path, True, True, True)
  else if FileExists(Path) then
    DeleteFile(Path);
end;

procedure SetAsidePrevious();
var
  I: Integer;
  Path: String;
begin
  for I := 0 to 2 do begin
    Path := ExpandConstant('{app}\') + ProgramPart(I);
    if FileOrDirExists(Path) then begin
      RemovePath(Path + PreviousSuffix);  // left by a setup that was killed: the installed copy is newer
      if not RenameFile(Path, Path + PreviousSuffix) then
        RaiseException('cannot set aside ' + Path);
      Log('Set aside: ' + Path);
    end;
  end;
  SetAsideDone := True;
end;

procedure RestorePrevious();
var
  I: Integer;
  Path: String;
begin
  for I := 0 to 2 do begin
    Path := ExpandConstant('{app}\') + ProgramPart(I);
    if FileOrDirExists(Path + PreviousSuffix) then begin
      RemovePath(Path);  // whatever the rollback could not delete
      if RenameFile(Path + PreviousSuffix, Path) then
        Log('Restored the previous version: ' + Path)
      else
        Log('Could not restore ' + Path + PreviousSuffix);
    end;
  end;
end;

procedure DiscardPrevious();
var
  I: Integer;
begin
  for I := 0 to 2 do
    RemovePath(ExpandConstant('{app}\') + ProgramPart(I) + PreviousSuffix);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssInstall then
    SetAsidePrevious()
  else if CurStep = ssPostInstall then begin
    Installed := True;
    DiscardPrevious();
  end;
end;

procedure DeinitializeSetup();
begin
  if SetAsideDone and not Installed then
    RestorePrevious();
end;
