/**
 * WGSL shared by every kernel: how a 1-D invocation index is spread over a 2-D grid of workgroups (one grid
 * dimension holds at most 65 535 workgroups), and the grid that covers n invocations.
 *
 * @module
 */

/** Workgroup size of the 1-D kernels. */
export const WG = 64;

/** WGSL helper `linear_id`: the flat invocation index in a 2-D grid of `WG`-wide workgroups. */
export const PRELUDE = /* wgsl */ `
const WG: u32 = ${WG}u;
fn linear_id(wid: vec3<u32>, nwg: vec3<u32>, lid: vec3<u32>) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid.x;
}
`;

/** The entry-point signature of a 1-D kernel; `i` is its flat index. */
export const MAIN_1D = /* wgsl */ `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = linear_id(wid, nwg, lid);`;

/** The 2-D grid of `WG`-wide workgroups that covers `n` invocations. */
export function grid1d(n: number, wg: number = WG): [number, number] {
  const groups = Math.ceil(n / wg);
  if (groups <= 65535) return [groups, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y];
}
