using System.Diagnostics;
using System.Runtime.Versioning;
using ReferralService.Tests.Support;

namespace ReferralService.Tests.Platform;

/// <summary>./run.sh in a sandbox: its own copy, a stub database script and a stub dotnet that records its calls.</summary>
[Platform("Linux"), SupportedOSPlatform("linux")]
public sealed class RunScriptTests
{
    private const string Token = "eyJstub.admin.token";

    [Test]
    public async Task Run_sh_shows_a_one_day_admin_token_once_on_the_terminal_and_never_in_the_service_log()
    {
        var sandbox = Directory.CreateTempSubdirectory("run-sh-");
        try
        {
            File.Copy(Path.Combine(Repository.Root, "run.sh"), Path.Combine(sandbox.FullName, "run.sh"));
            Executable(Path.Combine(sandbox.FullName, "scripts", "local-postgres.sh"), "echo 'Host=127.0.0.1;Port=1;Database=stub'");
            Executable(Path.Combine(sandbox.FullName, "bin", "dotnet"), $"""
                echo "$*" >> "$(dirname "$0")/calls"
                case "$1" in
                  user-jwts) echo {Token} ;;
                  run) echo "service: now listening" ;;
                esac
                """);

            var (exitCode, log, terminal) = await RunDetachedAsync(sandbox.FullName);

            var calls = await File.ReadAllLinesAsync(Path.Combine(sandbox.FullName, "bin", "calls"));
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.Zero, terminal);
                Assert.That(log, Does.Contain("service: now listening"), "stdout is where the service logs");
                Assert.That(log, Does.Not.Contain(Token), "the token is in the service's log");
                Assert.That(terminal.Split(Token).Length - 1, Is.EqualTo(1), "shown once, with no terminal on stderr:\n" + terminal);
                Assert.That(calls.Where(call => call.StartsWith("user-jwts create", StringComparison.Ordinal)),
                    Has.All.Contains("--valid-for 1d").And.Some.Contains("--role admin"));
                Assert.That(terminal, Does.Contain("dotnet user-jwts create").And.Contains("--valid-for 1d").And.Contains("--role admin"),
                    "how to mint another admin token");
            });
        }
        finally
        {
            sandbox.Delete(recursive: true);
        }
    }

    private static void Executable(string path, string body)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Runs ./run.sh in a new session, so that it has no terminal (/dev/tty) even when the tests do.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunDetachedAsync(string directory)
    {
        var start = new ProcessStartInfo("setsid", ["--wait", "bash", "run.sh"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = Path.Combine(directory, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
