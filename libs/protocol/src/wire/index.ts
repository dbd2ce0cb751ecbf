/** The udpix wire format: message vocabulary, codec and helpers (see libs/protocol/PROTOCOL.md). */
export * from './messages';
export { encode, encodeData, decode } from './codec';
export { validateWireOptions, maxBodyLength, authTagLength } from './options';
export { offerBodyLength, offerFits } from './bodies';
export { NO_ECHO } from './feedback';
export { datagramLength, concatDatagram } from './datagram';
export { messageTypeName, isMessageType } from './header';
export { transferIdToBytes, transferIdFromBytes, newTransferId, isTransferId, ZERO_TRANSFER_ID } from './transfer-id';
