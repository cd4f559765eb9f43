using System.Globalization;
using StemeQL.Storage.Abstractions;

namespace StemeQL;

// The object-store keywords: where large bytes values go (docs/storage.md, "The object store").
public sealed partial class StemeConnectionStringBuilder
{
    private const string ObjectThresholdKeyword = "Object Threshold";
    private const string ObjectBucketKeyword = "Object Bucket";
    private const string ObjectPrefixKeyword = "Object Prefix";
    private const string ObjectServiceUrlKeyword = "Object Service URL";
    private const string ObjectPathStyleKeyword = "Object Path Style";
    private const string ObjectRegionKeyword = "Object Region";
    private const string ObjectAccessKeyKeyword = "Object Access Key";
    private const string ObjectSecretKeyKeyword = "Object Secret Key";
    private const string ObjectPartSizeKeyword = "Object Part Size";
    private const string ObjectFolderKeyword = "Object Folder";

    /// <summary>Bytes values longer than this many bytes are kept in the object store, not in the row; default 65536 (64 KiB).</summary>
    public long ObjectThreshold
    {
        get => Get(ObjectThresholdKeyword) is { } text ? ParseSize(ObjectThresholdKeyword, text, 0) : ObjectStoreSettings.DefaultThreshold;
        set => this[ObjectThresholdKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The S3 bucket for large values; unset keeps them in the data folder's <c>objects/</c>.</summary>
    public string? ObjectBucket
    {
        get => Get(ObjectBucketKeyword);
        set => this[ObjectBucketKeyword] = value;
    }

    /// <summary>A key prefix inside <see cref="ObjectBucket"/>, e.g. <c>stemedb/</c>.</summary>
    public string ObjectPrefix
    {
        get => Get(ObjectPrefixKeyword) ?? "";
        set => this[ObjectPrefixKeyword] = value;
    }

    /// <summary>The endpoint of an S3-compatible store (alias <c>Object Endpoint</c>); unset uses AWS.</summary>
    public string? ObjectServiceUrl
    {
        get => Get(ObjectServiceUrlKeyword);
        set => this[ObjectServiceUrlKeyword] = value;
    }

    /// <summary>Path-style S3 addressing (<c>endpoint/bucket/key</c>), which most S3-compatible servers need.</summary>
    public bool ObjectPathStyle
    {
        get => Get(ObjectPathStyleKeyword) is { } text && ParseFlag(ObjectPathStyleKeyword, text);
        set => this[ObjectPathStyleKeyword] = value ? "True" : "False";
    }

    /// <summary>The AWS region of the bucket; unset takes it from the usual AWS sources.</summary>
    public string? ObjectRegion
    {
        get => Get(ObjectRegionKeyword);
        set => this[ObjectRegionKeyword] = value;
    }

    /// <summary>An access key id; unset takes credentials from the usual AWS sources (environment, profile).</summary>
    public string? ObjectAccessKey
    {
        get => Get(ObjectAccessKeyKeyword);
        set => this[ObjectAccessKeyKeyword] = value;
    }

    /// <summary>The secret key that goes with <see cref="ObjectAccessKey"/>.</summary>
    public string? ObjectSecretKey
    {
        get => Get(ObjectSecretKeyKeyword);
        set => this[ObjectSecretKeyKeyword] = value;
    }

    /// <summary>Objects larger than this are uploaded to S3 in parts of this many bytes; default 16 MiB (S3's minimum is 5 MiB).</summary>
    public long ObjectPartSize
    {
        get => Get(ObjectPartSizeKeyword) is { } text ? ParseSize(ObjectPartSizeKeyword, text, 5L << 20) : ObjectStoreSettings.DefaultPartSize;
        set => this[ObjectPartSizeKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The folder for large values when no <see cref="ObjectBucket"/> is set; unset keeps them in the data folder's
    /// <c>objects/</c> (for <c>Storage=postgres</c>, in a folder under the user's local application data).
    /// </summary>
    public string? ObjectFolder
    {
        get => Get(ObjectFolderKeyword);
        set => this[ObjectFolderKeyword] = value;
    }

    /// <summary>The object-store settings these keywords describe.</summary>
    internal ObjectStoreSettings ObjectSettings => new()
    {
        Threshold = ObjectThreshold,
        Bucket = string.IsNullOrWhiteSpace(ObjectBucket) ? null : ObjectBucket,
        Prefix = ObjectPrefix,
        ServiceUrl = string.IsNullOrWhiteSpace(ObjectServiceUrl) ? null : ObjectServiceUrl,
        ForcePathStyle = ObjectPathStyle,
        Region = ObjectRegion,
        AccessKey = ObjectAccessKey,
        SecretKey = ObjectSecretKey,
        PartSize = ObjectPartSize,
        Folder = string.IsNullOrWhiteSpace(ObjectFolder) ? null : Path.GetFullPath(ObjectFolder),
    };

    private static void ValidateObjectKeyword(string canonical, string value)
    {
        switch (canonical)
        {
            case ObjectThresholdKeyword: ParseSize(canonical, value, 0); break;
            case ObjectPartSizeKeyword: ParseSize(canonical, value, 5L << 20); break;
            case ObjectPathStyleKeyword: ParseFlag(canonical, value); break;
            case ObjectServiceUrlKeyword when !Uri.TryCreate(value, UriKind.Absolute, out _):
                throw new ArgumentException($"Object Service URL '{value}' is not valid: use an absolute URL such as http://127.0.0.1:4568.");
        }
    }

    private static long ParseSize(string keyword, string text, long minimum) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) && bytes >= minimum
            ? bytes
            : throw new ArgumentException($"{keyword} '{text}' is not valid: use a whole number of bytes, at least {minimum}.");

    private static bool ParseFlag(string keyword, string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw new ArgumentException($"{keyword} '{text}' is not valid: use True or False."),
    };
}
