using System.Text.RegularExpressions;

namespace Fieldlab.Deploy.Tests.Docker;

/// <summary>What a Fieldlab service's Dockerfile must do: build in one stage and run in another (no SDK in the image),
/// run as a user that is not root, and <c>dotnet publish</c> a project of the build context whose assembly it starts.</summary>
internal static partial class DockerfileRules
{
    /// <summary>One line per problem of <paramref name="dockerfile"/>, whose build context is <paramref name="context"/>.</summary>
    public static IEnumerable<string> Check(string dockerfile, string context)
    {
        var lines = Instructions(dockerfile).ToList();
        int stages = lines.Count(l => l.Keyword == "FROM");
        if (stages < 2) yield return $"{stages} stage(s): build and run belong in separate stages";

        var lastStage = lines.SkipWhile((_, i) => i < lines.FindLastIndex(l => l.Keyword == "FROM")).ToList();
        var user = lastStage.LastOrDefault(l => l.Keyword == "USER").Arguments;
        if (user is null) yield return "the final stage sets no USER: it would run as root";
        else if (user.Split(':')[0] is "root" or "0") yield return $"the final stage runs as root (USER {user})";

        var publish = lines.Select(l => Publish().Match(l.Arguments)).FirstOrDefault(m => m.Success);
        if (publish is null) { yield return "no 'dotnet publish' of a .csproj"; yield break; }
        string project = publish.Groups["project"].Value;
        if (!File.Exists(Path.Combine(context, project))) yield return $"publishes '{project}', which is not in the build context";
        var entry = lastStage.LastOrDefault(l => l.Keyword == "ENTRYPOINT").Arguments ?? "";
        string assembly = Path.GetFileNameWithoutExtension(project) + ".dll";
        if (!entry.Contains($"\"{assembly}\"", StringComparison.Ordinal)) yield return $"ENTRYPOINT does not start {assembly} ({entry})";
    }

    // Instructions with their continuation lines joined; comments dropped.
    private static IEnumerable<(string Keyword, string Arguments)> Instructions(string dockerfile)
    {
        var joined = Continuation().Replace(dockerfile, " ");
        foreach (var line in joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            int space = line.IndexOfAny([' ', '\t']);
            yield return space < 0 ? (line.ToUpperInvariant(), "") : (line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
        }
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"dotnet\s+publish\s+(?<project>\S+\.csproj)")]
    private static partial Regex Publish();
}
