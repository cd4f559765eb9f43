using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Objects.Folder;

/// <summary>
/// Objects as files in a folder (the data folder's <c>objects/</c> by default), each at
/// <c>ab/cdef…</c> after its SHA-256. A put spools to <c>tmp/</c>, fsyncs, then renames into place
/// (atomic: a reader sees the whole object or none) and fsyncs the folder that names it.
/// </summary>
internal sealed class FolderObjectStore(string folder) : IObjectStore
{
    private const string SpoolFolder = "tmp";

    public string Location { get; } = folder;

    public async Task<ObjectReference> PutAsync(Stream content, CancellationToken cancellation)
    {
        string temp = "";
        try
        {
            (temp, var reference) = await ObjectSpooler.SpoolAsync(content, Path.Combine(Location, SpoolFolder), cancellation).ConfigureAwait(false);
            string target = PathOf(reference.Hash);
            if (File.Exists(target))
            {
                ObjectSpooler.TryDelete(temp);   // stored already: identical objects are stored once
                return reference;
            }
            string directory = Path.GetDirectoryName(target)!;
            bool created = !Directory.Exists(directory);
            Directory.CreateDirectory(directory);
            try
            {
                File.Move(temp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                ObjectSpooler.TryDelete(temp);   // another writer stored the same bytes first
            }
            PhysicalJournalFileSystem.Instance.SyncDirectory(directory);
            if (created) PhysicalJournalFileSystem.Instance.SyncDirectory(Location);
            return reference;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            if (temp.Length > 0) ObjectSpooler.TryDelete(temp);
            throw ObjectErrors.LocalFailure(error, Location, "writing an object");
        }
    }

    public Task<Stream> OpenReadAsync(ObjectReference reference, long offset, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(reference);
        FileStream file;
        try
        {
            file = new FileStream(PathOf(reference.Hash), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ObjectErrors.Missing(reference, Location, error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw ObjectErrors.LocalFailure(error, Location, "reading an object");
        }
        if (offset == 0) return Task.FromResult<Stream>(new VerifyingStream(file, reference, Location));
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(file);
    }

    /// <summary>The file that holds the object named <paramref name="hash"/>.</summary>
    public string PathOf(ContentHash hash) => Path.Combine(Location, ObjectErrors.RelativeName(hash));

    public void Dispose()
    {
        // Nothing held open between calls.
    }
}
