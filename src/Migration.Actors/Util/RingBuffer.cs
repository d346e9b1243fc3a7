namespace Migration.Actors.Util;

/// <summary>A growable double-ended queue (power-of-two ring).</summary>
internal sealed class RingBuffer<T>
{
    private T[] items = new T[16];
    private int head;

    public int Count { get; private set; }

    public void PushBack(in T item)
    {
        if (Count == items.Length) Grow();
        items[(head + Count) & (items.Length - 1)] = item;
        Count++;
    }

    public void PushFront(in T item)
    {
        if (Count == items.Length) Grow();
        head = (head - 1) & (items.Length - 1);
        items[head] = item;
        Count++;
    }

    public T PopFront()
    {
        if (Count == 0) throw new InvalidOperationException("the buffer is empty");
        var item = items[head];
        items[head] = default!;
        head = (head + 1) & (items.Length - 1);
        Count--;
        return item;
    }

    private void Grow()
    {
        var larger = new T[items.Length * 2];
        for (var i = 0; i < Count; i++) larger[i] = items[(head + i) & (items.Length - 1)];
        items = larger;
        head = 0;
    }
}
