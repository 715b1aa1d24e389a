import { describe, expect, test } from 'vitest';
import { parseSafetensors, requireTensor, serializeSafetensors } from './safetensors.ts';

describe('safetensors reader', () => {
  test('reads back the tensors, shapes and metadata it was given', () => {
    const bytes = serializeSafetensors({ a: { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }, b: { shape: [1], data: Float32Array.of(-0.5) } }, { format: 'pt' });
    const file = parseSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.get('a')).toEqual({ shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) });
    expect([...requireTensor(file, 'b', [1])]).toEqual([-0.5]);
  });

  test('the header is padded with spaces to a multiple of 8 bytes', () => {
    const bytes = serializeSafetensors({ x: { shape: [1], data: Float32Array.of(1) } });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
  });

  test('a file held at an unaligned offset still reads', () => {
    const bytes = serializeSafetensors({ x: { shape: [3], data: Float32Array.of(1, 2, 3) } });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect([...parseSafetensors(shifted.subarray(1)).tensors.get('x')!.data]).toEqual([1, 2, 3]);
  });

  test('a tensor of the wrong shape is refused by name', () => {
    const file = parseSafetensors(serializeSafetensors({ x: { shape: [3], data: Float32Array.of(1, 2, 3) } }));
    expect(() => requireTensor(file, 'x', [4])).toThrow(/tensor x has shape \[3\], expected \[4\]/);
    expect(() => requireTensor(file, 'y', [3])).toThrow(/missing tensor y/);
  });

  test('a dtype other than F32 is refused', () => {
    const header = JSON.stringify({ x: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }).padEnd(48, ' ');
    const bytes = new Uint8Array(8 + header.length + 2);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    expect(() => parseSafetensors(bytes)).toThrow(/dtype F16/);
  });
});
