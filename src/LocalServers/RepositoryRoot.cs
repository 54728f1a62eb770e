namespace Fieldlab.LocalServers;

/// <summary>Finds the checkout the tests run from (the folder holding Fieldlab.sln).</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Fieldlab.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"No Fieldlab.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>Absolute path of the repository root.</summary>
    public static string Path => Root.Value;

    /// <summary>Absolute path of a file under the root.</summary>
    public static string File(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
