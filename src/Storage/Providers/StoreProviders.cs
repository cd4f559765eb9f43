using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;

namespace StemeQL.Storage;

/// <summary>
/// The store providers this process knows, by name: <c>embedded</c> always, and whatever a backend
/// package registers. The connection string's <c>Storage</c> keyword picks one.
/// </summary>
public static class StoreProviders
{
    /// <summary>The provider used when the connection string names none.</summary>
    public const string DefaultName = EmbeddedStoreProvider.ProviderName;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, IStoreProvider> Providers = new(StringComparer.OrdinalIgnoreCase)
    {
        [EmbeddedStoreProvider.ProviderName] = EmbeddedStoreProvider.Instance,
    };

    /// <summary>The registered names, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Gate) return [.. Providers.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Adds <paramref name="provider"/> under its name; registering the same instance again does nothing.</summary>
    /// <exception cref="ArgumentException">Another provider already has that name.</exception>
    public static void Register(IStoreProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider.Name);
        lock (Gate)
        {
            if (Providers.TryGetValue(provider.Name, out var existing) && !ReferenceEquals(existing, provider))
                throw new ArgumentException($"A store provider named '{provider.Name}' is already registered.", nameof(provider));
            Providers[provider.Name] = provider;
        }
    }

    /// <summary>The provider named <paramref name="name"/> (case-insensitive; blank means <see cref="DefaultName"/>).</summary>
    /// <exception cref="StemeException">No provider has that name (InvalidConnectionString, listing the known names).</exception>
    public static IStoreProvider Get(string? name)
    {
        string wanted = string.IsNullOrWhiteSpace(name) ? DefaultName : name.Trim();
        lock (Gate)
        {
            if (Providers.TryGetValue(wanted, out var provider)) return provider;
        }
        throw new StemeException(StemeErrorCode.InvalidConnectionString,
            $"Storage '{wanted}' is not a known store provider: use {string.Join(", ", Names)} (embedded is the default), or register the provider before opening.");
    }

    /// <summary>Opens (or joins) a store through the provider named <paramref name="name"/>.</summary>
    public static IStoreLease Acquire(string? name, StoreSettings settings) => Get(name).Acquire(settings);

    /// <summary>Asks every provider to close what no lease holds (see <see cref="IStoreProvider.CloseIdle"/>).</summary>
    public static void CloseIdle()
    {
        IStoreProvider[] providers;
        lock (Gate) providers = [.. Providers.Values];
        foreach (var provider in providers) provider.CloseIdle();
    }
}
