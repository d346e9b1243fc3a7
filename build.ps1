#!/usr/bin/env pwsh
# Thin wrapper over the dotnet commands in README.md; it adds nothing of its own.
#   ./build.ps1 build   dotnet build Migration.sln -c Release
#   ./build.ps1 test    dotnet test Migration.sln
#   ./build.ps1 run [args]
#                       dotnet run --project src/Migration.Cli -c Release -- [args]
#                       (no args: the README's main job, the default experiment)
#   ./build.ps1 bench [engine|journal|sim] [options]
#                       dotnet run --project src/Migration.Cli -c Release -- bench engine|journal|sim [options] (default: engine)
param(
    [ValidateSet('build', 'test', 'run', 'bench')]
    [string] $Target = 'build',
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

switch ($Target) {
    'build' { dotnet build Migration.sln -c Release }
    'test'  { dotnet test Migration.sln }
    'run'   { dotnet run --project src/Migration.Cli -c Release -- @Rest }
    'bench' {
        $benchArgs = if ($Rest.Count -eq 0) { @('engine') } else { $Rest }
        dotnet run --project src/Migration.Cli -c Release -- bench @benchArgs
    }
}
exit $LASTEXITCODE
