using System.Diagnostics;
using System.Reflection;

namespace Fieldlab.LocalServers;

/// <summary>A built Fieldlab service (Ingest, Api, Gateway) run as its own process, with configuration passed as
/// command-line keys (<c>--Mqtt:Port=…</c>), so that tests and benchmarks can kill it like a real deployment.</summary>
public sealed class ServiceProcess : ServerProcess
{
    private readonly string _commandLine;
    private readonly Func<CancellationToken, Task>? _ready;

    private ServiceProcess(string name, string commandLine, Func<CancellationToken, Task>? ready) : base(name)
    {
        _commandLine = commandLine;
        _ready = ready;
    }

    /// <inheritdoc />
    protected override string CommandLine => _commandLine;

    /// <summary>Path of a service's built assembly, in the same configuration (Debug/Release) as the caller.</summary>
    public static string AssemblyPath(string project, Assembly? caller = null)
    {
        var configuration = (caller ?? Assembly.GetCallingAssembly()).GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = RepositoryRoot.File("src", project, "bin", configuration, "net10.0", $"Fieldlab.{project}.dll");
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"Build src/{project} in {configuration} first.", path);
        return path;
    }

    /// <summary>Starts a service. <paramref name="settings"/> become <c>--Key=Value</c> arguments; <paramref name="ready"/>
    /// is polled until it succeeds (e.g. a health endpoint answers).</summary>
    public static async Task<ServiceProcess> StartNewAsync(string project, IEnumerable<KeyValuePair<string, string>> settings,
        Func<CancellationToken, Task>? ready = null, Assembly? caller = null, CancellationToken cancellationToken = default)
    {
        var dll = AssemblyPath(project, caller ?? Assembly.GetCallingAssembly());
        var args = string.Join(' ', settings.Select(s => Quote($"--{s.Key}={s.Value}")));
        // The content root is the build folder, where appsettings.json lives.
        var commandLine = $"dotnet {Quote(dll)} --contentRoot {Quote(Path.GetDirectoryName(dll)!)} {args}";
        var service = new ServiceProcess(project.ToLowerInvariant(), commandLine, ready);
        await service.StartAsync(cancellationToken);
        return service;
    }

    /// <summary>Starts a program with an explicit command line (e.g. the gateway with its config files).</summary>
    public static async Task<ServiceProcess> StartCommandAsync(string name, string commandLine, Func<CancellationToken, Task>? ready = null, CancellationToken cancellationToken = default)
    {
        var service = new ServiceProcess(name, commandLine, ready);
        await service.StartAsync(cancellationToken);
        return service;
    }

    /// <inheritdoc />
    protected override Task WaitReadyAsync(CancellationToken cancellationToken) =>
        _ready?.Invoke(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Single-quotes a shell word.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
