namespace StemeQL.Storage.Abstractions;

/// <summary>Where large <c>bytes</c> values go and from what size (the connection string's object-store keywords).</summary>
public sealed record ObjectStoreSettings
{
    /// <summary>The default <see cref="Threshold"/>: 64 KiB.</summary>
    public const long DefaultThreshold = 64 * 1024;

    /// <summary>The default S3 multipart part size: 16 MiB.</summary>
    public const long DefaultPartSize = 16L << 20;

    /// <summary>The settings when the connection string names none: the data folder, above 64 KiB.</summary>
    public static readonly ObjectStoreSettings Default = new();

    /// <summary>Bytes values longer than this many bytes go to the object store; shorter ones stay in the row.</summary>
    public long Threshold { get; init; } = DefaultThreshold;

    /// <summary>
    /// The folder large values go to when no <see cref="Bucket"/> is set, instead of the store's own (a data folder's
    /// <c>objects/</c>; for PostgreSQL a folder under the user's local application data). Null for the store's own.
    /// </summary>
    public string? Folder { get; init; }

    /// <summary>The S3 bucket; null keeps objects in the data folder's <c>objects/</c>.</summary>
    public string? Bucket { get; init; }

    /// <summary>A key prefix inside the bucket (e.g. <c>stemedb/</c>).</summary>
    public string Prefix { get; init; } = "";

    /// <summary>An S3-compatible endpoint (e.g. <c>http://127.0.0.1:4568</c>); null uses AWS's for <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>The AWS region; null takes it from the usual AWS sources (environment, profile).</summary>
    public string? Region { get; init; }

    /// <summary>An access key id; null takes credentials from the usual AWS sources.</summary>
    public string? AccessKey { get; init; }

    /// <summary>The secret key that goes with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Objects larger than this are uploaded to S3 in parts of this size (multipart upload).</summary>
    public long PartSize { get; init; } = DefaultPartSize;
}
