; Inno Setup script: wraps the one-folder build (dist\kwc-desktop) into kwc-desktop-setup.exe.
; Build on Windows after `pyinstaller --noconfirm --clean build_installer.spec`:
;   iscc /DAppVersion=0.1.0 installer\windows\kwc-desktop.iss
; Not tested on this project's Linux CI (no Windows there): see README, "Build the installer".

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C0F2A4E-4B1D-4E58-9A1C-5B0D2E7A3C11}
AppName=KWC → Twilio Japan transfer guide
AppVersion={#AppVersion}
AppPublisher=kwc-desktop
DefaultDirName={autopf}\kwc-desktop
DefaultGroupName=kwc-desktop
; Per-user install by default: no administrator rights needed, nothing written outside the profile.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=kwc-desktop-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\kwc-desktop.ico
UninstallDisplayIcon={app}\kwc-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\kwc-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\KWC → Twilio Japan"; Filename: "{app}\kwc-desktop.exe"
Name: "{autodesktop}\KWC → Twilio Japan"; Filename: "{app}\kwc-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Run]
Filename: "{app}\kwc-desktop.exe"; Description: "{cm:LaunchProgram,kwc-desktop}"; Flags: nowait postinstall skipifsilent

; Progress (%APPDATA%\kwc-desktop) and keyring entries stay on uninstall: they are the user's.
