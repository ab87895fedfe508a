using System.Buffers.Binary;
using System.Text;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Weights;

/// <summary>
/// A pickle virtual machine that understands exactly what <c>torch.save</c> of a state dict writes
/// and nothing more. Python's unpickler runs arbitrary code (any global can be imported and
/// called); this one has a fixed whitelist of opcodes and of globals, and interprets the few
/// whitelisted calls itself as pure data constructors, so nothing named in the file is ever
/// looked up or executed. Anything outside the whitelists is an <see cref="UnsafePickleException"/>
/// naming the opcode or global; any other malformation is a <see cref="WeightsFormatException"/>.
/// </summary>
internal sealed class SafePickleReader
{
    /// <summary>Returns the bytes of storage <paramref name="key"/> (already checked to hold <paramref name="elementCount"/> elements).</summary>
    public delegate byte[] StorageLoader(string key, TensorDType dtype, long elementCount);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Dictionary<string, PickleGlobal> AllowedGlobals = new PickleGlobal[]
    {
        new("torch._utils._rebuild_tensor_v2", PickleGlobalKind.RebuildTensorV2),
        new("torch._utils._rebuild_parameter", PickleGlobalKind.RebuildParameter),
        new("collections.OrderedDict", PickleGlobalKind.OrderedDict),
        new("torch.FloatStorage", PickleGlobalKind.StorageType, TensorDType.Float32),
        new("torch.DoubleStorage", PickleGlobalKind.StorageType, TensorDType.Float64),
        new("torch.HalfStorage", PickleGlobalKind.StorageType, TensorDType.Float16),
        new("torch.BFloat16Storage", PickleGlobalKind.StorageType, TensorDType.BFloat16),
        new("torch.LongStorage", PickleGlobalKind.StorageType, TensorDType.Int64),
        new("torch.IntStorage", PickleGlobalKind.StorageType, TensorDType.Int32),
        new("torch.ByteStorage", PickleGlobalKind.StorageType, TensorDType.UInt8),
    }.ToDictionary(g => g.QualifiedName, StringComparer.Ordinal);

    private readonly byte[] _pickle;
    private readonly string? _source;
    private readonly StorageLoader _loadStorage;
    private readonly WeightsLimits _limits;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;
    private int _opcodeOffset;
    private byte _opcode;
    private int _tensorCount;
    private long _tensorBytes;

    private SafePickleReader(byte[] pickle, string? source, StorageLoader loadStorage, WeightsLimits limits)
    {
        _pickle = pickle;
        _source = source;
        _loadStorage = loadStorage;
        _limits = limits;
    }

    /// <summary>Runs the pickle and returns the object it describes.</summary>
    /// <exception cref="UnsafePickleException">An opcode or global outside the whitelist.</exception>
    /// <exception cref="WeightsFormatException">The pickle is truncated or otherwise malformed.</exception>
    public static object? Load(byte[] pickle, string? source, StorageLoader loadStorage, WeightsLimits limits)
        => new SafePickleReader(pickle, source, loadStorage, limits).Run();

    private object? Run()
    {
        while (_position < _pickle.Length)
        {
            _opcodeOffset = _position;
            _opcode = _pickle[_position++];
            switch (_opcode)
            {
                case 0x80: // PROTO
                    byte protocol = ReadByte();
                    if (protocol > 5) throw Malformed($"pickle protocol {protocol} is newer than 5");
                    break;
                case 0x95: // FRAME: only a buffering hint; the frame must still lie inside the data.
                    if (ReadUInt64() > (ulong)(_pickle.Length - _position)) throw Truncated();
                    break;
                case (byte)'(': _marks.Add(_stack.Count); break; // MARK
                case (byte)'}': Push(new PickleDict(isOrderedDict: false)); break; // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'N': Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break; // BININT
                case 0x8a: Push(ReadLong1()); break; // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT (big-endian by definition)
                case 0x8c: Push(DecodeUtf8(ReadBytes(ReadByte()))); break; // SHORT_BINUNICODE
                case (byte)'X': Push(DecodeUtf8(ReadBytes(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))); break; // BINUNICODE
                case 0x8d: Push(DecodeUtf8(ReadBytes(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8))))); break; // BINUNICODE8
                case 0x85: Push(PopTuple(1)); break; // TUPLE1
                case 0x86: Push(PopTuple(2)); break; // TUPLE2
                case 0x87: Push(PopTuple(3)); break; // TUPLE3
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case (byte)'q': _memo[ReadByte()] = Peek(); break; // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': Push(MemoGet(ReadByte())); break; // BINGET
                case (byte)'j': Push(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // LONG_BINGET
                case (byte)'c': Push(ResolveGlobal(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                    string name = Pop<string>("STACK_GLOBAL name");
                    Push(ResolveGlobal(Pop<string>("STACK_GLOBAL module"), name));
                    break;
                case (byte)'R': Reduce(); break; // REDUCE
                case (byte)'b': Build(); break; // BUILD
                case (byte)'Q': Push(LoadPersistent(Pop<object?[]>("persistent id"))); break; // BINPERSID
                case (byte)'s': // SETITEM
                    object? value = Pop<object?>("SETITEM value");
                    object key = DictKey(Pop<object?>("SETITEM key"));
                    Peek<PickleDict>("SETITEM target").Set(key, value);
                    break;
                case (byte)'u': // SETITEMS
                    List<object?> pairs = PopMark();
                    if (pairs.Count % 2 != 0) throw Malformed($"SETITEMS has an odd number ({pairs.Count}) of keys and values");
                    var dict = Peek<PickleDict>("SETITEMS target");
                    for (int i = 0; i < pairs.Count; i += 2) dict.Set(DictKey(pairs[i]), pairs[i + 1]);
                    break;
                case (byte)'a': // APPEND
                    object? item = Pop<object?>("APPEND item");
                    Peek<List<object?>>("APPEND target").Add(item);
                    break;
                case (byte)'e': // APPENDS
                    List<object?> items = PopMark();
                    Peek<List<object?>>("APPENDS target").AddRange(items);
                    break;
                case (byte)'.': // STOP
                    if (_marks.Count != 0 || _stack.Count != 1)
                        throw Malformed($"STOP with {_stack.Count} objects and {_marks.Count} open MARKs on the stack (expected exactly one object)");
                    if (_position != _pickle.Length)
                        throw Malformed($"{_pickle.Length - _position} unexpected bytes after STOP");
                    return _stack[0];
                default:
                    throw new UnsafePickleException(_source, OpcodeNames.TryGetValue(_opcode, out string? opName)
                        ? $"pickle opcode {opName} (0x{_opcode:x2}) at offset {_opcodeOffset} is not allowed in a weights file"
                        : $"unknown pickle opcode 0x{_opcode:x2} at offset {_opcodeOffset}");
            }
        }
        throw Malformed($"pickle ends at byte {_pickle.Length} without a STOP opcode (truncated?)");
    }

    // ---- whitelisted globals and calls -------------------------------------------------------

    private PickleGlobal ResolveGlobal(string module, string name)
    {
        string qualified = module + "." + name;
        return AllowedGlobals.TryGetValue(qualified, out PickleGlobal? global)
            ? global
            : throw new UnsafePickleException(_source, $"pickle global {DiagnosticText.Quote(qualified)} at offset {_opcodeOffset} is not allowed in a weights file (only tensor, storage and OrderedDict constructors are)");
    }

    /// <summary>REDUCE calls a callable with a tuple; only whitelisted globals, interpreted here as data constructors.</summary>
    private void Reduce()
    {
        object? args = Pop<object?>("REDUCE arguments");
        object? callable = Pop<object?>("REDUCE callable");
        if (callable is not PickleGlobal global)
            throw new UnsafePickleException(_source, $"REDUCE at offset {_opcodeOffset} calls a {Describe(callable)}, not a whitelisted global");
        if (args is not object?[] arguments)
            throw Malformed($"REDUCE at offset {_opcodeOffset} passes a {Describe(args)} to {global.QualifiedName} instead of a tuple");
        switch (global.Kind)
        {
            case PickleGlobalKind.OrderedDict:
                if (arguments.Length != 0) throw Malformed($"collections.OrderedDict is called with {arguments.Length} arguments at offset {_opcodeOffset}; only OrderedDict() is supported");
                Push(new PickleDict(isOrderedDict: true));
                break;
            case PickleGlobalKind.RebuildTensorV2:
                Push(RebuildTensor(arguments));
                break;
            case PickleGlobalKind.RebuildParameter:
                // _rebuild_parameter(data, requires_grad, backward_hooks): a Parameter is just its tensor here.
                if (arguments.Length != 3 || arguments[0] is not TensorData tensor || arguments[1] is not bool)
                    throw Malformed($"{global.QualifiedName} at offset {_opcodeOffset} expects (tensor, requires_grad, backward_hooks)");
                RequireNoHooks(arguments[2], global.QualifiedName);
                Push(tensor);
                break;
            default:
                throw new UnsafePickleException(_source, $"REDUCE at offset {_opcodeOffset} calls {DiagnosticText.Quote(global.QualifiedName)}, which may only be named as a storage type");
        }
    }

    /// <summary><c>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])</c>.</summary>
    private TensorData RebuildTensor(object?[] args)
    {
        const string Function = "torch._utils._rebuild_tensor_v2";
        if (args.Length is not (6 or 7)
            || args[0] is not TorchStorage storage || args[1] is not long offset
            || args[2] is not object?[] size || args[3] is not object?[] stride || args[4] is not bool)
            throw Malformed($"{Function} at offset {_opcodeOffset} expects (storage, offset, size tuple, stride tuple, requires_grad, backward_hooks[, metadata]), got ({string.Join(", ", args.Select(Describe))})");
        RequireNoHooks(args[5], Function);
        // The optional metadata records Python-side tensor attributes; only "none" is plain data.
        if (args.Length == 7 && args[6] is not (null or PickleDict { Count: 0 }))
            throw Malformed($"{Function} at offset {_opcodeOffset} carries tensor metadata, which is not supported");

        if (++_tensorCount > _limits.MaxTensorCount)
            throw Malformed($"more than {_limits.MaxTensorCount} tensors (the limit)");
        TensorData tensor = StridedTensorGather.Gather(storage, offset, ToLongs(size, "size"), ToLongs(stride, "stride"),
            _limits.TensorByteCap, cause => Malformed($"tensor at offset {_opcodeOffset}: {cause}"));
        // Views may share one storage, so bound what they expand to, not only what the file holds.
        _tensorBytes += tensor.Bytes.Length;
        if (_tensorBytes > _limits.MaxFileBytes)
            throw Malformed($"the tensors add up to more than {_limits.MaxFileBytes} bytes (the file size limit)");
        return tensor;
    }

    private long[] ToLongs(object?[] tuple, string what)
    {
        var values = new long[tuple.Length];
        for (int i = 0; i < tuple.Length; i++)
            values[i] = tuple[i] as long? ?? throw Malformed($"tensor {what} at offset {_opcodeOffset} holds a {Describe(tuple[i])}, not an integer");
        return values;
    }

    private void RequireNoHooks(object? hooks, string function)
    {
        if (hooks is not PickleDict { Count: 0 })
            throw Malformed($"{function} at offset {_opcodeOffset} has backward hooks ({Describe(hooks)}); only an empty OrderedDict is supported");
    }

    /// <summary>BUILD sets an object's state; allowed only for OrderedDict's <c>_metadata</c> attribute, which is dropped.</summary>
    private void Build()
    {
        object? state = Pop<object?>("BUILD state");
        object? target = Peek<object?>("BUILD target");
        if (target is not PickleDict { IsOrderedDict: true } || state is not PickleDict)
            throw new UnsafePickleException(_source, $"BUILD at offset {_opcodeOffset} sets a {Describe(state)} state on a {Describe(target)}; only a dict state on an OrderedDict is allowed");
    }

    /// <summary>BINPERSID with <c>('storage', storage_type, key, location, numel)</c>: a storage from <c>data/</c>.</summary>
    private TorchStorage LoadPersistent(object?[] pid)
    {
        if (pid.Length != 5 || pid[0] is not "storage" || pid[1] is not PickleGlobal { Kind: PickleGlobalKind.StorageType } type
            || pid[2] is not string key || pid[3] is not string || pid[4] is not long count || count < 0)
            throw Malformed($"persistent id at offset {_opcodeOffset} is ({string.Join(", ", pid.Select(Describe))}), not ('storage', storage type, key, location, element count)");
        return new TorchStorage(key, type.StorageDType, count, _loadStorage(key, type.StorageDType, count));
    }

    // ---- stack, memo and input ---------------------------------------------------------------

    private void Push(object? value) => _stack.Add(value);

    /// <summary>Index below which the current MARK forbids popping (as CPython's fence does).</summary>
    private int Fence => _marks.Count == 0 ? 0 : _marks[^1];

    private T Pop<T>(string what)
    {
        T value = Peek<T>(what);
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek() => Peek<object?>("memo value");

    private T Peek<T>(string what)
    {
        if (_stack.Count <= Fence) throw Malformed($"stack underflow: {OpcodeName} at offset {_opcodeOffset} needs a {what}");
        object? value = _stack[^1];
        // None only passes where any object is acceptable, never as a typed value.
        return value is T || (value is null && typeof(T) == typeof(object))
            ? (T)value!
            : throw Malformed($"{OpcodeName} at offset {_opcodeOffset} expects the {what} to be a {TypeName(typeof(T))}, found a {Describe(value)}");
    }

    private object?[] PopTuple(int count)
    {
        if (_stack.Count - Fence < count) throw Malformed($"stack underflow: {OpcodeName} at offset {_opcodeOffset} needs {count} items");
        object?[] items = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return items;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Malformed($"{OpcodeName} at offset {_opcodeOffset} has no matching MARK");
        int mark = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private object? MemoGet(long index) => _memo.TryGetValue(index, out object? value)
        ? value
        : throw Malformed($"{OpcodeName} at offset {_opcodeOffset} reads memo slot {index}, which was never stored");

    private object DictKey(object? key) => key is string or long
        ? key
        : throw Malformed($"{OpcodeName} at offset {_opcodeOffset} uses a {Describe(key)} as a dict key; only strings and integers are supported");

    private byte ReadByte() => ReadBytes(1)[0];

    private ReadOnlySpan<byte> ReadBytes(ulong count)
    {
        if (count > (ulong)(_pickle.Length - _position)) throw Truncated();
        var span = _pickle.AsSpan(_position, (int)count);
        _position += (int)count;
        return span;
    }

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    /// <summary>LONG1: a little-endian two's-complement integer of up to 8 bytes (larger ones are not tensor data).</summary>
    private long ReadLong1()
    {
        ReadOnlySpan<byte> bytes = ReadBytes(ReadByte());
        if (bytes.Length > 8) throw Malformed($"LONG1 at offset {_opcodeOffset} holds a {bytes.Length}-byte integer; at most 8 bytes are supported");
        if (bytes.IsEmpty) return 0;
        Span<byte> buffer = stackalloc byte[8];
        buffer.Fill((bytes[^1] & 0x80) != 0 ? (byte)0xff : (byte)0); // sign-extend
        bytes.CopyTo(buffer);
        return BinaryPrimitives.ReadInt64LittleEndian(buffer);
    }

    /// <summary>A GLOBAL operand: text up to a newline.</summary>
    private string ReadLine()
    {
        int end = Array.IndexOf(_pickle, (byte)'\n', _position);
        if (end < 0) throw Truncated();
        string line = DecodeUtf8(_pickle.AsSpan(_position, end - _position));
        _position = end + 1;
        return line;
    }

    private string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Malformed($"{OpcodeName} at offset {_opcodeOffset} holds a string that is not valid UTF-8"); }
    }

    // ---- diagnostics -------------------------------------------------------------------------

    private WeightsFormatException Malformed(string cause) => new(_source, "malformed pickle: " + cause);

    private WeightsFormatException Truncated()
        => Malformed($"{OpcodeName} at offset {_opcodeOffset} runs past the end of the pickle ({_pickle.Length} bytes; truncated?)");

    private string OpcodeName => OpcodeNames.TryGetValue(_opcode, out string? name) ? name : $"0x{_opcode:x2}";

    /// <summary>A short Python-style description of an unpickled value, for error messages.</summary>
    internal static string Describe(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long n => "int " + n,
        double => "float",
        string s => "str " + DiagnosticText.Quote(s),
        object?[] t => $"tuple of {t.Length}",
        List<object?> => "list",
        PickleDict { IsOrderedDict: true } => "OrderedDict",
        PickleDict => "dict",
        PickleGlobal g => "global " + g.QualifiedName,
        TorchStorage => "storage",
        TensorData => "tensor",
        _ => value.GetType().Name,
    };

    private static string TypeName(Type type) => type switch
    {
        _ when type == typeof(string) => "str",
        _ when type == typeof(object?[]) => "tuple",
        _ when type == typeof(PickleDict) => "dict",
        _ when type == typeof(List<object?>) => "list",
        _ => type.Name,
    };

    /// <summary>Every pickle opcode by byte (protocols 0-5), so a refused one is reported by name.</summary>
    private static readonly Dictionary<byte, string> OpcodeNames = new()
    {
        [0x28] = "MARK", [0x2e] = "STOP", [0x30] = "POP", [0x31] = "POP_MARK", [0x32] = "DUP", [0x46] = "FLOAT",
        [0x49] = "INT", [0x4a] = "BININT", [0x4b] = "BININT1", [0x4c] = "LONG", [0x4d] = "BININT2", [0x4e] = "NONE",
        [0x50] = "PERSID", [0x51] = "BINPERSID", [0x52] = "REDUCE", [0x53] = "STRING", [0x54] = "BINSTRING",
        [0x55] = "SHORT_BINSTRING", [0x56] = "UNICODE", [0x58] = "BINUNICODE", [0x61] = "APPEND", [0x62] = "BUILD",
        [0x63] = "GLOBAL", [0x64] = "DICT", [0x7d] = "EMPTY_DICT", [0x65] = "APPENDS", [0x67] = "GET", [0x68] = "BINGET",
        [0x69] = "INST", [0x6a] = "LONG_BINGET", [0x6c] = "LIST", [0x5d] = "EMPTY_LIST", [0x6f] = "OBJ", [0x70] = "PUT",
        [0x71] = "BINPUT", [0x72] = "LONG_BINPUT", [0x73] = "SETITEM", [0x74] = "TUPLE", [0x29] = "EMPTY_TUPLE",
        [0x75] = "SETITEMS", [0x47] = "BINFLOAT", [0x80] = "PROTO", [0x81] = "NEWOBJ", [0x82] = "EXT1", [0x83] = "EXT2",
        [0x84] = "EXT4", [0x85] = "TUPLE1", [0x86] = "TUPLE2", [0x87] = "TUPLE3", [0x88] = "NEWTRUE", [0x89] = "NEWFALSE",
        [0x8a] = "LONG1", [0x8b] = "LONG4", [0x42] = "BINBYTES", [0x43] = "SHORT_BINBYTES", [0x8c] = "SHORT_BINUNICODE",
        [0x8d] = "BINUNICODE8", [0x8e] = "BINBYTES8", [0x8f] = "EMPTY_SET", [0x90] = "ADDITEMS", [0x91] = "FROZENSET",
        [0x92] = "NEWOBJ_EX", [0x93] = "STACK_GLOBAL", [0x94] = "MEMOIZE", [0x95] = "FRAME", [0x96] = "BYTEARRAY8",
        [0x97] = "NEXT_BUFFER", [0x98] = "READONLY_BUFFER",
    };
}
