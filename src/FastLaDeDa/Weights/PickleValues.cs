namespace FastLaDeDa.Weights;

// The only kinds of object the safe pickle VM ever creates. Besides these it uses plain values:
// null (None), bool, long (every pickle int; bigger ones are refused), double, string,
// object?[] (tuples), List<object?> (lists) and TensorData. Nothing here has behaviour a file can trigger.

/// <summary>A pickle dict or <c>collections.OrderedDict</c>: insertion-ordered, keys are strings or integers.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _items = [];
    private readonly Dictionary<object, int> _indexByKey = [];

    public PickleDict(bool isOrderedDict) => IsOrderedDict = isOrderedDict;

    /// <summary>True when made by <c>collections.OrderedDict()</c> (which may then receive a BUILD).</summary>
    public bool IsOrderedDict { get; }

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    public int Count => _items.Count;

    public bool TryGetValue(object key, out object? value)
    {
        bool found = _indexByKey.TryGetValue(key, out int index);
        value = found ? _items[index].Value : null;
        return found;
    }

    /// <summary>Python semantics: assigning an existing key keeps its position and replaces the value.</summary>
    public void Set(object key, object? value)
    {
        if (_indexByKey.TryGetValue(key, out int index)) _items[index] = new(key, value);
        else
        {
            _indexByKey.Add(key, _items.Count);
            _items.Add(new(key, value));
        }
    }
}

/// <summary>What a whitelisted global resolves to. The VM interprets these itself; nothing is looked up or run.</summary>
internal enum PickleGlobalKind { RebuildTensorV2, RebuildParameter, OrderedDict, StorageType }

/// <summary>A whitelisted global such as <c>torch._utils._rebuild_tensor_v2</c> or <c>torch.FloatStorage</c>.</summary>
internal sealed record PickleGlobal(string QualifiedName, PickleGlobalKind Kind, TensorDType StorageDType = default);

/// <summary>A PyTorch storage from the checkpoint's <c>data/</c> folder: raw little-endian elements.</summary>
internal sealed record TorchStorage(string Key, TensorDType DType, long ElementCount, byte[] Bytes);
