using System.Reflection;

namespace Fieldlab.Cli.Backup;

/// <summary>Version and commit of the Fieldlab build that made a backup.</summary>
internal sealed record FieldlabVersion(string Version, string? Commit)
{
    /// <summary>This build's, from its informational version (<c>1.0.0+{commit}</c>: the SDK appends the git commit).</summary>
    public static FieldlabVersion Current()
    {
        var text = typeof(FieldlabVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        int plus = text.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? new FieldlabVersion(text, null) : new FieldlabVersion(text[..plus], text[(plus + 1)..]);
    }
}
