using Fieldlab.Access.Store;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Lifecycle;

/// <summary>Deletes the frozen datasets that hold part of an erased window of a rig — every version, whoever froze it
/// (the company itself, or an instructor it shared its data with) — files and records, so that a pilot's erasure
/// leaves no copy behind in the dataset store (docs/datasets.md). Assignments on a deleted dataset go with it.</summary>
public static class DatasetErasure
{
    /// <summary>Deletes the datasets of <paramref name="site"/>/<paramref name="rig"/> whose range meets [from, to);
    /// returns how many versions were deleted. <paramref name="directory"/> is the API's <c>Datasets:Directory</c>.</summary>
    public static async Task<int> DeleteAsync(MetadataDb db, string directory, string site, string rig, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var candidates = await db.Datasets.Where(d => d.SiteId == site && d.From < to && d.To > from).ToListAsync(cancellationToken).ConfigureAwait(false);
        var hit = candidates.Where(d => d.Rigs.Split(',').Contains(rig)).ToList();
        foreach (var d in hit)
        {
            // Files first: a record without files answers 500 and is visible; files without a record would be invisible.
            var folder = new Fieldlab.Datasets.DatasetDirectory(directory).PathOf(d.Id, d.Version);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            await db.Assignments.Where(a => a.DatasetId == d.Id && a.DatasetVersion == d.Version).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            db.Datasets.Remove(d);
        }
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return hit.Count;
    }
}
