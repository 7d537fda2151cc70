; Inno Setup 6 script: Afterword's Windows installer.
;
; Build the bundle first (it writes dist\Afterword\afterword.exe), then compile:
;   .venv\Scripts\python packaging\build_bundle.py
;   iscc packaging\windows\afterword.iss
; which writes dist\Afterword-<version>-windows-x64-setup.exe.
;
; The version is read from afterword.exe, whose version resource the PyInstaller
; spec writes from pyproject.toml: one number, set in one place.
; Not built or tested on the machine this was written on (Linux); see
; packaging/README.md.

#define AppName "Afterword"
#define AppId "io.github.afterword.Afterword"
#define AppExeName "afterword.exe"
#define BundleDir SourcePath + "..\..\dist\Afterword"
#define AppExe BundleDir + "\" + AppExeName

#if !FileExists(AppExe)
  #error "No bundle at dist\Afterword: run packaging\build_bundle.py first"
#endif
#define AppVersion GetFileProductVersionString(AppExe)
#define AppVersionNumbers GetVersionNumbersString(AppExe)

[Setup]
; The same reverse-DNS id as the .desktop file and AppStream metadata; Windows
; keeps the uninstall entry under it, so upgrades replace the old version.
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Afterword developers
AppPublisherURL=https://github.com/afterword/afterword
AppSupportURL=https://github.com/afterword/afterword/issues
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installer
; Per-user by default (no administrator needed); the first page lets the user
; choose an install for everyone instead.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
; The bundle holds 64-bit binaries; Qt 6 needs Windows 10 or later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\icons\{#AppId}.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; A running Afterword is asked to close before its files are replaced.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle. The uninstaller removes exactly these files; the
; user's data (in %APPDATA%\Afterword) is never touched.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; AppUserModelID ties the running window to these shortcuts in the taskbar.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; AppUserModelID: "{#AppId}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; AppUserModelID: "{#AppId}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
