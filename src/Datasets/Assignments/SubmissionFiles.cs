using System.Globalization;

namespace Fieldlab.Datasets.Assignments;

/// <summary>Where submission files lie: <c>{Datasets:Directory}/assignments/{assignment}/submissions/{submission}.csv</c>
/// — one owner for the layout, used by the API that writes them and the erasure that deletes them.</summary>
public static class SubmissionFiles
{
    /// <summary>The folder of an assignment's submission files.</summary>
    public static string FolderOf(string datasetsDirectory, int assignmentId) =>
        Path.Combine(Path.GetFullPath(datasetsDirectory), "assignments", assignmentId.ToString(CultureInfo.InvariantCulture), "submissions");

    /// <summary>The file name of one submission in its assignment's folder.</summary>
    public static string FileNameOf(int submissionId) => submissionId.ToString(CultureInfo.InvariantCulture) + ".csv";

    /// <summary>The file of one submission.</summary>
    public static string PathOf(string datasetsDirectory, int assignmentId, int submissionId) =>
        Path.Combine(FolderOf(datasetsDirectory, assignmentId), FileNameOf(submissionId));
}
