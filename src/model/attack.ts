/** A MITRE ATT&CK Enterprise technique or sub-technique, named as on https://attack.mitre.org. */
export interface AttackTechnique {
  /** `T1548.005`: technique, then `.` and the sub-technique number. */
  id: string;
  /** `Abuse Elevation Control Mechanism: Temporary Elevated Cloud Access`. */
  name: string;
}

/** `T1550.001` → its page on attack.mitre.org (sub-techniques are path segments there). */
export function attackUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}
