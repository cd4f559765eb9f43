using System.Security.Cryptography;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Objects;

/// <summary>
/// Copies a stream to a fresh temporary file in <c>folder</c>, hashing it on the way, and fsyncs it:
/// a value of any size is named without holding it in memory.
/// </summary>
internal static class ObjectSpooler
{
    private const int BufferSize = 1 << 20;

    /// <summary>The temporary file (the caller moves or deletes it) and the reference its bytes will have.</summary>
    public static async Task<(string Path, ObjectReference Reference)> SpoolAsync(Stream content, string folder, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(content);
        string path = Path.Combine(folder, $"{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int n;
                while ((n = await content.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
                {
                    // Also for a caller's stream that ignores the token: a cancelled put stops within a chunk.
                    cancellation.ThrowIfCancellationRequested();
                    sha256.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), cancellation).ConfigureAwait(false);
                    length += n;
                }
                file.Flush(flushToDisk: true);
            }
            return (path, new ObjectReference(ContentHash.FromBytes(sha256.GetHashAndReset()), length));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(path);
            throw ObjectErrors.LocalFailure(error, folder, "spooling an object");
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Deletes a temporary file, ignoring a failure (it is only a leftover).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file holds nothing anyone refers to.
        }
    }
}
