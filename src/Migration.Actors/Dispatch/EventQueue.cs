using System.Runtime.CompilerServices;

namespace Migration.Actors.Dispatch;

/// <summary>
/// The pending deliveries of one scheduler, popped in (time, origin host, origin sequence) order.
/// Two sorted lanes take what arrives in key order, so most deliveries never touch the heap: the
/// current instant's (an actor telling another on its own host), and the crossing lane (messages
/// between hosts, all sent one link latency ahead, so in time order as sent). The heap holds the
/// rest of the future. Popping takes the smallest of the three heads, which keeps the order exact.
/// </summary>
/// <remarks>
/// The heap is 4-ary (half the depth of a binary heap, and a node's children share cache lines, as
/// in .NET's PriorityQueue) and orders keys only: (time, origin key, slot), with no object
/// references, so sifting moves plain data and pays no GC write barrier. The envelopes wait in a
/// slot table and move once in, once out.
/// </remarks>
internal sealed class EventQueue
{
    private const int InitialCapacity = 64;
    private const int Arity = 4;
    private const int ArityLog2 = 2;

    /// <summary>How far back from its tail a lane takes an out-of-order delivery for the current instant.</summary>
    private const int InsertDistanceMax = 8;

    private readonly long lengthMax;
    private HeapKey[] heap = new HeapKey[InitialCapacity];
    private int heapCount;
    private Envelope[] slots = new Envelope[InitialCapacity];
    private int[] freeSlots = new int[InitialCapacity];
    private int[] heapIndex = new int[InitialCapacity];   // by slot: where its key is in the heap
    private int freeSlotCount;
    private int slotsUsed;
    private readonly Lane current = new();
    private readonly Lane crossing = new();

    public EventQueue(long lengthMax)
    {
        this.lengthMax = lengthMax;
    }

    public int Count => heapCount + current.Count + crossing.Count;

    public bool IsEmpty => Count == 0;

    /// <summary>The delivery time of the next event; only valid when not empty.</summary>
    public long PeekTimeTicks
    {
        get
        {
            var time = long.MaxValue;
            if (current.Count != 0) time = current.Head.TimeTicks;
            if (crossing.Count != 0) time = Math.Min(time, crossing.Head.TimeTicks);
            if (heapCount != 0) time = Math.Min(time, heap[0].TimeTicks);
            return time;
        }
    }

    /// <summary>Queues a delivery due at or after <paramref name="nowTicks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(in Envelope envelope, long nowTicks)
    {
        if (envelope.TimeTicks == nowTicks && current.TryAdd(envelope, InsertDistanceMax, this)) return;
        PushHeap(envelope);
    }

    /// <summary>
    /// Queues a message between hosts sent now with no delay beyond the link latency: such messages
    /// come due in the order they are sent, so they usually append to the crossing lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushCrossing(in Envelope envelope)
    {
        if (crossing.TryAdd(envelope, 0, this)) return;
        PushHeap(envelope);
    }

    /// <summary>Pops the next event if it is due before <paramref name="exclusiveEndTicks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPopBefore(long exclusiveEndTicks, out Envelope envelope)
    {
        // The lane whose head comes first, if it comes before the heap's.
        Lane? lane = null;
        if (current.Count != 0) lane = current;
        if (crossing.Count != 0 && (lane is null || Envelope.Precedes(crossing.Head, lane.Head))) lane = crossing;
        if (lane is not null && (heapCount == 0 || heap[0].Follows(lane.Head)))
        {
            if (lane.Head.TimeTicks >= exclusiveEndTicks)
            {
                envelope = default;
                return false;
            }
            envelope = lane.Pop();
            return true;
        }
        if (heapCount == 0 || heap[0].TimeTicks >= exclusiveEndTicks)
        {
            envelope = default;
            return false;
        }
        envelope = PopHeap();
        return true;
    }

    /// <summary>
    /// Checks the length limit before an array grows (a push into spare capacity is free), so the
    /// queue may hold up to its arrays' first capacities beyond a limit smaller than that (192).
    /// </summary>
    private void CheckRoomToGrow()
    {
        if (Count >= lengthMax) ThrowFull();
    }

    /// <summary>
    /// Deliveries in strictly increasing key order, in a ring buffer: appended at the tail, or put a
    /// few places before it (never past <c>insertDistanceMax</c>; the heap takes the rest).
    /// </summary>
    private sealed class Lane
    {
        private Envelope[] items = new Envelope[InitialCapacity];
        private int head;

        public int Count { get; private set; }

        public ref Envelope Head => ref items[head];

        private ref Envelope At(int index) => ref items[(head + index) & (items.Length - 1)];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryAdd(in Envelope envelope, int insertDistanceMax, EventQueue queue)
        {
            if (Count != 0 && !Envelope.Precedes(At(Count - 1), envelope)) return TryInsert(envelope, insertDistanceMax, queue);
            if (Count == items.Length) Grow(queue);
            At(Count) = envelope;
            Count++;
            return true;
        }

        /// <summary>Puts a delivery that precedes the tail at its place, if that is within reach of the tail.</summary>
        private bool TryInsert(in Envelope envelope, int insertDistanceMax, EventQueue queue)
        {
            if (insertDistanceMax == 0) return false;
            // Its place is after the last delivery that precedes it; keys are unique, so it precedes the tail.
            var lowest = Math.Max(0, Count - insertDistanceMax);
            var place = Count - 1;
            while (place > lowest && Envelope.Precedes(envelope, At(place - 1))) place--;
            if (place > 0 && Envelope.Precedes(envelope, At(place - 1))) return false;
            if (Count == items.Length) Grow(queue);
            for (var i = Count; i > place; i--) At(i) = At(i - 1);
            At(place) = envelope;
            Count++;
            return true;
        }

        public Envelope Pop()
        {
            ref var first = ref items[head];
            var popped = first;
            first = default;
            head = (head + 1) & (items.Length - 1);
            Count--;
            return popped;
        }

        private void Grow(EventQueue queue)
        {
            queue.CheckRoomToGrow();
            var larger = new Envelope[items.Length * 2];
            for (var i = 0; i < Count; i++) larger[i] = At(i);
            items = larger;
            head = 0;
        }

        public void AssertSorted(string name)
        {
            for (var i = 1; i < Count; i++)
            {
                if (!Envelope.Precedes(At(i - 1), At(i)))
                    throw new InvariantViolationException($"{name} lane out of order at {i}: {At(i)}");
            }
        }
    }

    private int PushHeap(in Envelope envelope)
    {
        if (heapCount == heap.Length) GrowHeap();
        var slot = freeSlotCount > 0 ? freeSlots[--freeSlotCount] : slotsUsed++;
        slots[slot] = envelope;
        SiftUp(new HeapKey(envelope.TimeTicks, envelope.OriginKey, slot), heapCount++);
        return slot;
    }

    /// <summary>
    /// Queues a delivery that may be withdrawn before it is due (a timer): returns its slot for
    /// <see cref="TryWithdraw"/>, or -1 when it went to a lane (due now), where it stays.
    /// </summary>
    public int PushWithdrawable(in Envelope envelope, long nowTicks)
    {
        if (envelope.TimeTicks == nowTicks)
        {
            Push(envelope, nowTicks);
            return -1;
        }
        return PushHeap(envelope);
    }

    /// <summary>
    /// Takes back the delivery in <paramref name="slot"/> if it still carries <paramref name="message"/>
    /// (a slot is reused once its delivery is popped). Returns whether it was withdrawn.
    /// </summary>
    public bool TryWithdraw(int slot, object message)
    {
        if ((uint)slot >= (uint)slotsUsed || !ReferenceEquals(slots[slot].Message, message)) return false;
        var index = heapIndex[slot];
        Free(slot);
        var last = heap[--heapCount];
        if (index == heapCount) return true;
        // The last key fills the hole: up if it precedes the hole's parent, else down.
        if (index > 0 && last.Precedes(heap[(index - 1) >> ArityLog2])) SiftUp(last, index);
        else SiftDown(last, index);
        return true;
    }

    private void GrowHeap()
    {
        CheckRoomToGrow();
        // Every key holds one slot and every free slot was a key's: the arrays grow together.
        Array.Resize(ref heap, heap.Length * 2);
        Array.Resize(ref slots, heap.Length);
        Array.Resize(ref freeSlots, heap.Length);
        Array.Resize(ref heapIndex, heap.Length);
    }

    private Envelope PopHeap()
    {
        var slot = heap[0].Slot;
        var top = slots[slot];
        Free(slot);
        var last = heap[--heapCount];
        if (heapCount > 0) SiftDown(last, 0);
        return top;
    }

    private void Free(int slot)
    {
        slots[slot] = default;
        freeSlots[freeSlotCount++] = slot;
    }

    /// <summary>Places <paramref name="key"/> at <paramref name="index"/> or above, moving parents down.</summary>
    private void SiftUp(HeapKey key, int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) >> ArityLog2;
            if (!key.Precedes(heap[parent])) break;
            Place(heap[parent], index);
            index = parent;
        }
        Place(key, index);
    }

    /// <summary>Places <paramref name="key"/> at <paramref name="index"/> or below, moving the least children up.</summary>
    private void SiftDown(HeapKey key, int index)
    {
        while (true)
        {
            var first = (index << ArityLog2) + 1;
            if (first >= heapCount) break;
            var least = first;
            var end = Math.Min(first + Arity, heapCount);
            for (var child = first + 1; child < end; child++)
            {
                if (heap[child].Precedes(heap[least])) least = child;
            }
            if (!heap[least].Precedes(key)) break;
            Place(heap[least], index);
            index = least;
        }
        Place(key, index);
    }

    /// <summary>Puts a key at a position and records the position by its slot (for withdrawal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Place(HeapKey key, int index)
    {
        heap[index] = key;
        heapIndex[key.Slot] = index;
    }

    /// <summary>A heap entry: the envelope's order key and where the envelope waits.</summary>
    private readonly struct HeapKey(long timeTicks, long originKey, int slot)
    {
        public readonly long TimeTicks = timeTicks;
        public readonly long OriginKey = originKey;
        public readonly int Slot = slot;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Precedes(in HeapKey other) =>
            TimeTicks < other.TimeTicks || (TimeTicks == other.TimeTicks && OriginKey < other.OriginKey);

        /// <summary>True when <paramref name="envelope"/> is delivered strictly before this entry's.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Follows(in Envelope envelope) =>
            envelope.TimeTicks < TimeTicks || (envelope.TimeTicks == TimeTicks && envelope.OriginKey < OriginKey);
    }

    /// <summary>
    /// Checks every cross-field invariant: the heap is ordered (a parent precedes its children,
    /// otherwise events would be delivered out of order), every key matches the envelope in its slot
    /// and every slot is either a key's or free, and each lane is strictly increasing (only its head
    /// is compared with the others', so it must be sorted on its own).
    /// </summary>
    public void AssertInvariants()
    {
        for (var i = 1; i < heapCount; i++)
        {
            if (heap[i].Precedes(heap[(i - 1) >> ArityLog2]))
                throw new InvariantViolationException($"event heap out of order at index {i}: {slots[heap[i].Slot]}");
        }
        if (heapCount + freeSlotCount != slotsUsed)
            throw new InvariantViolationException($"event heap holds {heapCount} keys and {freeSlotCount} free slots, but {slotsUsed} slots were handed out");
        for (var i = 0; i < heapCount; i++)
        {
            var key = heap[i];
            var envelope = slots[key.Slot];
            if (envelope.TargetRef is null || envelope.TimeTicks != key.TimeTicks || envelope.OriginKey != key.OriginKey)
                throw new InvariantViolationException($"event heap key {i} ({key.TimeTicks}, {key.OriginKey}) does not match its slot {key.Slot}");
            if (heapIndex[key.Slot] != i)
                throw new InvariantViolationException($"event heap key {i} is recorded at {heapIndex[key.Slot]} for its slot {key.Slot}");
        }
        current.AssertSorted("current-instant");
        crossing.AssertSorted("crossing");
    }

    private void ThrowFull() =>
        throw new InvalidOperationException(
            $"The event queue holds {Count} pending deliveries, its limit ({lengthMax}); the simulation is " +
            "producing events faster than it consumes them. Raise ActorSystemSettings.EventQueueLengthMax " +
            "only if the workload really needs it.");
}
