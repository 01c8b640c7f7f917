import { z } from 'zod';
import { identityDocumentTypeSchema, type SubsidyBuyer } from '@checkout/protocol/contract';
import { SubsidyError } from './subsidy-error';

/** The stored claim (the domain's SubsidyClaimRecord): personal fields sealed together as one JSON value. */
export interface SealedSubsidyClaim {
  identityDocumentType: SubsidyBuyer['identityDocumentType'];
  receiveRegionCode: string;
  qualificationRegionCode: number;
  sealedPii: string;
}

const sealedPiiSchema = z.object({ realName: z.string(), idCardNumber: z.string(), phoneNumber: z.string() });

/** How checkout stores a claim: `seal(JSON.stringify({ realName, idCardNumber, phoneNumber }))`. */
export function sealSubsidyClaim(pii: { seal(plaintext: string): string }, buyer: SubsidyBuyer): SealedSubsidyClaim {
  return {
    identityDocumentType: buyer.identityDocumentType,
    receiveRegionCode: buyer.receiveRegionCode,
    qualificationRegionCode: buyer.qualificationRegionCode,
    sealedPii: pii.seal(JSON.stringify({ realName: buyer.realName, idCardNumber: buyer.idCardNumber, phoneNumber: buyer.phoneNumber })),
  };
}

/** Opens a stored claim back into buyer details, only to encrypt them again for WeChat Pay. */
export function openSubsidyClaim(pii: { open(sealed: string): string }, claim: SealedSubsidyClaim): SubsidyBuyer {
  let personal: z.infer<typeof sealedPiiSchema>;
  try {
    personal = sealedPiiSchema.parse(JSON.parse(pii.open(claim.sealedPii)));
  } catch (error) {
    if (error instanceof SubsidyError) throw error;
    throw new SubsidyError('SUBSIDY_PII_UNREADABLE', 'sealed subsidy claim does not hold the expected fields');
  }
  return {
    identityDocumentType: identityDocumentTypeSchema.parse(claim.identityDocumentType),
    receiveRegionCode: claim.receiveRegionCode,
    qualificationRegionCode: claim.qualificationRegionCode,
    ...personal,
  };
}
