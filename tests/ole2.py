"""Build small Compound File Binary (OLE2) files, the container of Office 97-2003 documents.

Written from the format's specification ([MS-CFB], version 3, 512-byte sectors) so that the
tests can make a legacy .doc or .xls with or without a VBA project in it. Every stream is
padded to the mini-stream cutoff (4,096 bytes) so that all data sits in ordinary sectors.
"""

import struct

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MINI_CUTOFF = 4096


def _sort_key(name):
    return (len(name), name.upper())


def build(tree):
    """``tree`` maps names to bytes (a stream) or to a dict (a storage); returns the file."""
    entries = []  # [name, kind, children (entry indexes), data]

    def add(name, node, kind=None):
        index = len(entries)
        if isinstance(node, dict):
            entries.append([name, kind or 1, [], None])
            children = [add(child, node[child]) for child in sorted(node, key=_sort_key)]
            entries[index][2] = children
        else:
            entries.append([name, 2, [], node.ljust(MINI_CUTOFF, b"\x00")])
        return index

    add("Root Entry", tree, kind=5)

    directory_sectors = -(-len(entries) * 128 // SECTOR)
    next_sector = 1 + directory_sectors  # sector 0 holds the FAT
    starts, fat = {}, [FAT_SECTOR] + [0] * directory_sectors
    for i in range(directory_sectors):
        fat[1 + i] = 2 + i if i < directory_sectors - 1 else END
    for index, (_name, kind, _children, data) in enumerate(entries):
        if kind != 2:
            continue
        count = -(-len(data) // SECTOR)
        starts[index] = next_sector
        fat.extend(next_sector + i + 1 if i < count - 1 else END for i in range(count))
        next_sector += count
    if len(fat) > SECTOR // 4:
        raise ValueError("too large for this small builder (one FAT sector)")
    fat.extend([FREE] * (SECTOR // 4 - len(fat)))

    directory = b""
    for index, (name, kind, children, data) in enumerate(entries):
        encoded = (name + "\x00").encode("utf-16-le")
        child = children[0] if children else NO_STREAM
        # Siblings are chained through the right pointer, in the format's name order.
        right = NO_STREAM
        for parent in entries:
            if index in parent[2]:
                position = parent[2].index(index)
                if position + 1 < len(parent[2]):
                    right = parent[2][position + 1]
        start = starts.get(index, END)
        size = len(data) if data is not None else 0
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded),
            kind,
            1,
            NO_STREAM,
            right,
            child,
            b"\x00" * 16,
            0,
            0,
            0,
            start,
            size,
        )
    directory = directory.ljust(directory_sectors * SECTOR, b"\x00")

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        1,
        1,
        0,
        MINI_CUTOFF,
        END,
        0,
        END,
        0,
    )
    header += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
    body = b"".join(
        data.ljust(-(-len(data) // SECTOR) * SECTOR, b"\x00") for _, k, _, data in entries if k == 2
    )
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + body


def word_document(with_macros=False):
    tree = {"WordDocument": b"\xec\xa5" + b"plain text", "1Table": b"table"}
    if with_macros:
        tree["Macros"] = {
            "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n'
            b"Document=ThisDocument/&H00000000\r\n",
            "VBA": {"_VBA_PROJECT": b"\xcc\x61\xff\xff\x00", "dir": b"\x01", "ThisDocument": b"x"},
        }
    return build(tree)


def excel_workbook(with_macros=False):
    tree = {"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"}
    if with_macros:
        tree["_VBA_PROJECT_CUR"] = {
            "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n',
            "VBA": {"_VBA_PROJECT": b"\xcc\x61\xff\xff\x00", "dir": b"\x01"},
        }
    return build(tree)
