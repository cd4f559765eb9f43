using System.Data.Common;

namespace StemeQL;

/// <summary>The commands of a <see cref="StemeBatch"/>, in the order they run.</summary>
public sealed class StemeBatchCommandCollection : DbBatchCommandCollection, IList<StemeBatchCommand>
{
    private readonly List<StemeBatchCommand> _items = [];

    internal StemeBatchCommandCollection() { }

    /// <summary>The command at <paramref name="index"/>.</summary>
    public new StemeBatchCommand this[int index]
    {
        get => _items[index];
        set => _items[index] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc />
    public override int Count => _items.Count;

    /// <inheritdoc />
    public override bool IsReadOnly => false;

    /// <summary>Adds a command.</summary>
    public void Add(StemeBatchCommand item) => _items.Add(item ?? throw new ArgumentNullException(nameof(item)));

    /// <inheritdoc />
    public override void Add(DbBatchCommand item) => Add(Cast(item));

    /// <inheritdoc />
    public override void Clear() => _items.Clear();

    /// <summary>True when the collection holds <paramref name="item"/>.</summary>
    public bool Contains(StemeBatchCommand item) => _items.Contains(item);

    /// <inheritdoc />
    public override bool Contains(DbBatchCommand item) => item is StemeBatchCommand command && _items.Contains(command);

    /// <summary>Copies the commands to <paramref name="array"/>.</summary>
    public void CopyTo(StemeBatchCommand[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public override void CopyTo(DbBatchCommand[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        for (int i = 0; i < _items.Count; i++) array[arrayIndex + i] = _items[i];
    }

    /// <summary>The index of <paramref name="item"/>, or -1.</summary>
    public int IndexOf(StemeBatchCommand item) => _items.IndexOf(item);

    /// <inheritdoc />
    public override int IndexOf(DbBatchCommand item) => item is StemeBatchCommand command ? _items.IndexOf(command) : -1;

    /// <summary>Inserts a command at <paramref name="index"/>.</summary>
    public void Insert(int index, StemeBatchCommand item) => _items.Insert(index, item ?? throw new ArgumentNullException(nameof(item)));

    /// <inheritdoc />
    public override void Insert(int index, DbBatchCommand item) => Insert(index, Cast(item));

    /// <summary>Removes a command; false when it was not in the collection.</summary>
    public bool Remove(StemeBatchCommand item) => _items.Remove(item);

    /// <inheritdoc />
    public override bool Remove(DbBatchCommand item) => item is StemeBatchCommand command && _items.Remove(command);

    /// <inheritdoc />
    public override void RemoveAt(int index) => _items.RemoveAt(index);

    /// <inheritdoc />
    public override IEnumerator<DbBatchCommand> GetEnumerator() => _items.GetEnumerator();

    IEnumerator<StemeBatchCommand> IEnumerable<StemeBatchCommand>.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    protected override DbBatchCommand GetBatchCommand(int index) => _items[index];

    /// <inheritdoc />
    protected override void SetBatchCommand(int index, DbBatchCommand batchCommand) => _items[index] = Cast(batchCommand);

    private static StemeBatchCommand Cast(DbBatchCommand? item) => item as StemeBatchCommand
        ?? throw new InvalidCastException($"Only StemeBatchCommand objects can be added, not {item?.GetType().Name ?? "null"}.");
}
